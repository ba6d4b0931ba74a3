/**
 * response_url, as Slack serves it for slash commands and interactions: each URL may be used
 * at most 5 times within 30 minutes of the request that carried it. A message sent there is
 * ephemeral (only the person who acted sees it) unless `response_type` is `in_channel`;
 * `replace_original` and `delete_original` act on the message the interaction came from (for
 * a slash command: the last message sent in answer to it).
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from './clock.js';
import { checkMessage, formatIssue } from './block-kit/limits.js';
import { mediaType } from './http.js';
import { isJsonObject, parseJson, type JsonObject, type JsonValue } from './json.js';
import type { MessageContent, MessageOrigin } from './transcript-store.js';
import type { Workspace } from './workspace.js';

export const RESPONSE_URL_MAX_USES = 5;
export const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;

export interface MessageRef {
  ephemeral: boolean;
  ts: string;
}

export interface ResponseUrlContext {
  kind: 'command' | 'action';
  channel: string;
  user: string;
  /** For interactions: the message holding the button that was clicked. */
  source?: MessageRef;
  /** For slash commands: what the person typed, echoed in the channel on an in_channel answer. */
  command?: { command: string; text: string };
}

export interface ResponseUrlRecord extends ResponseUrlContext {
  id: string;
  url: string;
  issuedAt: number;
  uses: number;
  refused: number;
  last?: MessageRef;
  commandEchoed: boolean;
}

export interface ResponseUrlAnswer {
  status: number;
  body: JsonObject;
}

function flag(value: JsonValue | undefined): boolean {
  return value === true || value === 'true';
}

export class ResponseUrls {
  readonly records = new Map<string, ResponseUrlRecord>();

  constructor(
    private readonly ws: Workspace,
    private readonly clock: Clock,
  ) {}

  issue(context: ResponseUrlContext): ResponseUrlRecord {
    const id = randomBytes(12).toString('hex');
    const path = context.kind === 'command' ? 'commands' : 'actions';
    const record: ResponseUrlRecord = {
      ...context,
      id,
      url: `${this.ws.baseUrl}/${path}/${this.ws.team.id}/${id}`,
      issuedAt: this.clock.now(),
      uses: 0,
      refused: 0,
      commandEchoed: false,
    };
    this.records.set(id, record);
    return record;
  }

  byUrl(url: string): ResponseUrlRecord | undefined {
    return [...this.records.values()].find((r) => r.url === url);
  }

  /** An HTTP POST to a response_url. */
  receive(id: string, contentType: string | undefined, body: Buffer): ResponseUrlAnswer {
    const record = this.records.get(id);
    if (record === undefined) return { status: 404, body: { ok: false, error: 'invalid_url' } };
    if (this.clock.now() - record.issuedAt > RESPONSE_URL_LIFETIME_MS) {
      record.refused += 1;
      return { status: 404, body: { ok: false, error: 'expired_url' } };
    }
    if (record.uses >= RESPONSE_URL_MAX_USES) {
      record.refused += 1;
      return { status: 404, body: { ok: false, error: 'used_url' } };
    }
    const payload = decodePayload(contentType, body);
    if (payload === undefined)
      return { status: 400, body: { ok: false, error: 'invalid_payload' } };
    const answer = this.deliver(record, payload, 'response_url');
    if (answer.status === 200) record.uses += 1;
    return answer;
  }

  /** Applies a message sent for this interaction, by response_url or in the HTTP acknowledgement. */
  deliver(
    record: ResponseUrlRecord,
    payload: JsonObject,
    origin: MessageOrigin,
  ): ResponseUrlAnswer {
    const original = record.source ?? record.last;
    if (flag(payload.delete_original)) {
      if (original === undefined || !this.remove(record.channel, original)) {
        return { status: 404, body: { ok: false, error: 'message_not_found' } };
      }
      return { status: 200, body: { ok: true } };
    }
    const text = typeof payload.text === 'string' ? payload.text : undefined;
    const blocks = Array.isArray(payload.blocks) ? payload.blocks : undefined;
    const attachments = Array.isArray(payload.attachments) ? payload.attachments : undefined;
    const check = checkMessage({
      ...(text === undefined ? {} : { text }),
      ...(blocks === undefined ? {} : { blocks }),
      ...(attachments === undefined ? {} : { attachments }),
    });
    if (!check.ok) {
      const messages = 'issues' in check ? check.issues.map(formatIssue) : [];
      return {
        status: 400,
        body: { ok: false, error: check.error, response_metadata: { messages } },
      };
    }
    const content: MessageContent = {
      text: text ?? '',
      blocks: this.ws.transcript.normalizeBlocks(blocks ?? []),
      attachments: (attachments ?? []).filter(isJsonObject),
    };
    if (flag(payload.replace_original) && original !== undefined) {
      if (this.replace(record.channel, original, content, origin)) {
        record.last = original;
        return { status: 200, body: { ok: true } };
      }
    }
    record.last =
      payload.response_type === 'in_channel'
        ? this.postInChannel(record, content, origin, payload.thread_ts)
        : this.postEphemeral(record, content, origin);
    return { status: 200, body: { ok: true } };
  }

  private postInChannel(
    record: ResponseUrlRecord,
    content: MessageContent,
    origin: MessageOrigin,
    threadTs: JsonValue | undefined,
  ): MessageRef {
    const transcript = this.ws.transcript;
    if (record.command !== undefined && !record.commandEchoed) {
      record.commandEchoed = true;
      const typed = `${record.command.command} ${record.command.text}`.trim();
      transcript.post({
        channel: record.channel,
        author: record.user,
        origin: 'user',
        content: { text: typed, blocks: [], attachments: [] },
      });
    }
    const message = transcript.post({
      channel: record.channel,
      author: this.ws.bot.userId,
      origin,
      content,
      ...(typeof threadTs === 'string' ? { threadTs } : {}),
    });
    return { ephemeral: false, ts: message.ts };
  }

  private postEphemeral(
    record: ResponseUrlRecord,
    content: MessageContent,
    origin: MessageOrigin,
  ): MessageRef {
    const message = this.ws.transcript.postEphemeral({
      channel: record.channel,
      recipient: record.user,
      author: this.ws.bot.userId,
      origin,
      content,
    });
    return { ephemeral: true, ts: message.ts };
  }

  private replace(
    channel: string,
    ref: MessageRef,
    content: MessageContent,
    origin: MessageOrigin,
  ): boolean {
    const transcript = this.ws.transcript;
    const target = ref.ephemeral
      ? transcript.findEphemeral(channel, ref.ts)
      : transcript.find(channel, ref.ts);
    if (target === undefined) return false;
    transcript.replace(target, content, origin);
    return true;
  }

  private remove(channel: string, ref: MessageRef): boolean {
    const transcript = this.ws.transcript;
    const target = ref.ephemeral
      ? transcript.findEphemeral(channel, ref.ts)
      : transcript.find(channel, ref.ts);
    if (target === undefined) return false;
    transcript.delete(target);
    return true;
  }
}

/** A response_url body: JSON, or a form with a `payload` field holding JSON. */
export function decodePayload(
  contentType: string | undefined,
  body: Buffer,
): JsonObject | undefined {
  const text = body.toString('utf8');
  let raw = text;
  if (mediaType(contentType) === 'application/x-www-form-urlencoded') {
    const payload = new URLSearchParams(text).get('payload');
    if (payload === null) return undefined;
    raw = payload;
  }
  try {
    const parsed = parseJson(raw);
    return isJsonObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
