/**
 * Sends what Slack sends to an app: slash commands, `block_actions` interactions and Events API
 * events, each with a response_url served by the double where Slack gives one. Over HTTP they go
 * to the app's request URL, form-encoded and signed; over Socket Mode as envelopes on its
 * WebSocket (inbound-transport.ts). The app's answer is read as Slack reads it: a body (or an
 * acknowledgement's payload) is a message for the person who acted, an error status, a late
 * answer or no connection at all is shown to them as Slack's error line.
 */
import { randomBytes } from 'node:crypto';
import { renderTextObject } from './block-kit/render.js';
import { mediaType } from './http.js';
import type { DeliveryOptions, InboundResponse, InboundTransport } from './inbound-transport.js';
import { isJsonObject, parseJson, type JsonObject, type JsonValue } from './json.js';
import type { ResponseUrlRecord, ResponseUrls } from './response-url.js';
import { directoryNames } from './transcript-view.js';
import { messageJson } from './web-api/method.js';
import { SLACKBOT_USER_ID, type Workspace } from './workspace.js';

export type { DeliveryOptions, InboundResponse } from './inbound-transport.js';

/** Slack waits this long for the acknowledgement before telling the person it timed out. */
export const ACK_TIMEOUT_MS = 3000;

export interface InboundClientOptions {
  /** The app's request URL, e.g. `http://127.0.0.1:3000/slack/events`. */
  requestUrl: string;
  ackTimeoutMs?: number;
  /** The deprecated verification token Slack still puts in payloads. */
  verificationToken?: string;
}

export interface SlashCommandInput extends DeliveryOptions {
  command: string;
  text?: string;
  user: string;
  channel: string;
  /**
   * Fields sent in place of Slack's, signed all the same: what someone holding the signing secret
   * could send (e.g. a `user_id` Slack never issues). Slack itself never sends these.
   */
  forgedFields?: Record<string, string>;
}

export interface ClickButtonInput extends DeliveryOptions {
  channel: string;
  /** The message holding the button; an ephemeral message is found among the clicker's own. */
  messageTs: string;
  user: string;
  actionId?: string;
  /** Find the button by its visible label instead of its action_id. */
  label?: string;
}

export interface InteractionResult extends InboundResponse {
  responseUrl: string;
  triggerId: string;
}

interface FoundButton {
  blockId: string;
  actionId: string;
  element: JsonObject;
}

export class SlackInboundClient {
  private readonly verificationToken: string;

  constructor(
    private readonly ws: Workspace,
    private readonly responseUrls: ResponseUrls,
    private readonly transport: InboundTransport,
    /** Where answers go, for the record of what the double did not understand. */
    private readonly destination: string,
    verificationToken?: string,
  ) {
    this.verificationToken = verificationToken ?? randomBytes(12).toString('hex');
  }

  /** `/deploy hello-world` typed by `user` in `channel`. */
  async slashCommand(input: SlashCommandInput): Promise<InteractionResult> {
    const user = this.ws.directory.requireUser(input.user);
    const channel = this.ws.directory.requireChannel(input.channel);
    const text = input.text ?? '';
    const record = this.responseUrls.issue({
      kind: 'command',
      channel: channel.id,
      user: user.id,
      command: { command: input.command, text },
    });
    const triggerId = this.triggerId();
    const fields: JsonObject = {
      token: this.verificationToken,
      team_id: this.ws.team.id,
      team_domain: this.ws.team.domain,
      channel_id: channel.id,
      channel_name: channel.isIm ? 'directmessage' : channel.name,
      user_id: user.id,
      user_name: user.name,
      command: input.command,
      text,
      api_app_id: this.ws.bot.appId,
      is_enterprise_install: 'false',
      response_url: record.url,
      trigger_id: triggerId,
      ...input.forgedFields,
    };
    const response = await this.transport.deliver('slash_commands', fields, input);
    this.readCommandAck(record, input.command, response);
    return { ...response, responseUrl: record.url, triggerId };
  }

  /** A person clicks a button on a message, which sends a `block_actions` payload. */
  async clickButton(input: ClickButtonInput): Promise<InteractionResult> {
    const user = this.ws.directory.requireUser(input.user);
    const channel = this.ws.directory.requireChannel(input.channel);
    const transcript = this.ws.transcript;
    const inChannel = transcript.find(channel.id, input.messageTs);
    const ephemeral =
      inChannel === undefined ? transcript.findEphemeral(channel.id, input.messageTs) : undefined;
    const target = inChannel ?? (ephemeral?.recipient === user.id ? ephemeral : undefined);
    if (target === undefined) {
      throw new Error(`${user.name} sees no message ${input.messageTs} in ${channel.id} to click`);
    }
    const button = this.findButton(target.content.blocks, input);
    const triggerId = this.triggerId();
    const isEphemeral = inChannel === undefined;
    const record = this.responseUrls.issue({
      kind: 'action',
      channel: channel.id,
      user: user.id,
      source: { ephemeral: isEphemeral, ts: target.ts },
    });
    const action: JsonObject = {
      type: 'button',
      action_id: button.actionId,
      block_id: button.blockId,
      text: button.element.text ?? null,
      action_ts: this.ws.transcript.nextTs(),
      ...(typeof button.element.value === 'string' ? { value: button.element.value } : {}),
      ...(typeof button.element.style === 'string' ? { style: button.element.style } : {}),
    };
    const payload: JsonObject = {
      type: 'block_actions',
      user: { id: user.id, username: user.name, name: user.name, team_id: this.ws.team.id },
      api_app_id: this.ws.bot.appId,
      token: this.verificationToken,
      container: {
        type: 'message',
        message_ts: target.ts,
        channel_id: channel.id,
        is_ephemeral: isEphemeral,
        ...(target.threadTs === undefined ? {} : { thread_ts: target.threadTs }),
      },
      trigger_id: triggerId,
      team: { id: this.ws.team.id, domain: this.ws.team.domain },
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: channel.id, name: channel.isIm ? 'directmessage' : channel.name },
      ...(inChannel === undefined ? {} : { message: messageJson(this.ws, inChannel) }),
      state: { values: {} },
      response_url: record.url,
      actions: [action],
    };
    const response = await this.sendInteraction(payload, input);
    return { ...response, responseUrl: record.url, triggerId };
  }

  /** Any interactive payload, sent as Slack sends it (`payload=<json>` over HTTP). */
  async sendInteraction(
    payload: JsonObject,
    options: DeliveryOptions = {},
  ): Promise<InboundResponse> {
    return this.transport.deliver('interactive', payload, options);
  }

  /** An Events API event (`event_callback`), e.g. `{ type: 'app_mention', … }`. */
  async event(event: JsonObject, options: DeliveryOptions = {}): Promise<InboundResponse> {
    const now = this.ws.clock.now();
    const body: JsonObject = {
      token: this.verificationToken,
      team_id: this.ws.team.id,
      api_app_id: this.ws.bot.appId,
      event: { event_ts: this.ws.transcript.nextTs(), ...event },
      type: 'event_callback',
      event_id: this.ws.newId('Ev'),
      event_time: Math.floor(now / 1000),
      authorizations: [
        {
          team_id: this.ws.team.id,
          user_id: this.ws.bot.userId,
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel: false,
    };
    return this.transport.deliver('events_api', body, options);
  }

  /** Sends again exactly what an earlier request sent (`response.sent.body`), e.g. as a retry. */
  async send(body: string, options: DeliveryOptions = {}): Promise<InboundResponse> {
    return this.transport.resend(body, options);
  }

  private triggerId(): string {
    const digits = (n: number): string =>
      String(Math.floor(Math.random() * 10 ** n)).padStart(n, '0');
    return `${digits(13)}.${digits(13)}.${randomBytes(16).toString('hex')}`;
  }

  private findButton(blocks: readonly JsonObject[], input: ClickButtonInput): FoundButton {
    const names = directoryNames(this.ws.directory);
    const buttons: FoundButton[] = [];
    for (const block of blocks) {
      const blockId = typeof block.block_id === 'string' ? block.block_id : '';
      const candidates: JsonValue[] = [
        ...(block.type === 'actions' && Array.isArray(block.elements) ? block.elements : []),
        ...(block.accessory === undefined ? [] : [block.accessory]),
      ];
      for (const element of candidates) {
        if (isJsonObject(element) && element.type === 'button') {
          const actionId = typeof element.action_id === 'string' ? element.action_id : '';
          buttons.push({ blockId, actionId, element });
        }
      }
    }
    const match = buttons.find((b) =>
      input.actionId !== undefined
        ? b.actionId === input.actionId
        : renderTextObject(b.element.text, names) === input.label,
    );
    if (match === undefined) {
      const available = buttons
        .map((b) => `[${renderTextObject(b.element.text, names)}] action_id=${b.actionId}`)
        .join(', ');
      const wanted = input.actionId ?? input.label ?? '(nothing named)';
      throw new Error(
        `no button ${wanted} on message ${input.messageTs}; it has: ${available || 'no buttons'}`,
      );
    }
    return match;
  }

  /**
   * Slack shows the acknowledgement's body to the person who typed the command (or to the channel
   * with `response_type: in_channel`); an error status or no answer in time becomes Slack's
   * "failed with the error" line, which only that person sees.
   */
  private readCommandAck(
    record: ResponseUrlRecord,
    command: string,
    response: InboundResponse,
  ): void {
    if (response.status === 200) {
      if (response.body.trim() === '') return;
      const payload = ackPayload(response);
      const answer = this.responseUrls.deliver(record, payload, 'command_ack');
      if (answer.status !== 200) {
        this.ws.recordUnhandled({
          httpMethod: 'POST',
          path: this.destination,
          reason: `the acknowledgement of ${command} is not a message Slack accepts: ${typeof answer.body.error === 'string' ? answer.body.error : 'error'}`,
        });
      }
      return;
    }
    // Over Socket Mode, status 0 without a timeout means no connection was open.
    const error = response.timedOut
      ? 'operation_timeout'
      : response.status === 0
        ? 'dispatch_failed'
        : response.status < 500
          ? 'http_client_error'
          : 'http_service_error';
    this.ws.transcript.postEphemeral({
      channel: record.channel,
      recipient: record.user,
      author: SLACKBOT_USER_ID,
      origin: 'command_ack',
      content: { text: `${command} failed with the error "${error}"`, blocks: [], attachments: [] },
    });
  }
}

function ackPayload(response: InboundResponse): JsonObject {
  if (mediaType(response.contentType) === 'application/json') {
    try {
      const parsed = parseJson(response.body);
      if (isJsonObject(parsed)) return parsed;
    } catch {
      // Not JSON after all: Slack shows it as text.
    }
  }
  return { text: response.body };
}
