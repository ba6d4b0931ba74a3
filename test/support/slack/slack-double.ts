/**
 * A faithful stand-in for Slack in tests: the Web API over real HTTP, response_url, upload URLs,
 * a signed inbound client, and a transcript that reads as a person would read the channels.
 *
 *   const slack = await startSlackDouble({ botToken: 'xoxb-test' });
 *   slack.addUser({ id: 'U1', name: 'alice' });
 *   slack.addChannel({ id: 'C1', name: 'deploys' });
 *   // app uses slackApiUrl: slack.apiUrl
 *   slack.channel('C1').render();
 *   slack.assertNoUnhandled();
 *   await slack.stop();
 */
import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from './clock.js';
import type {
  AddChannelInput,
  AddUserGroupInput,
  AddUserInput,
  BotIdentity,
  SlackChannel,
  SlackUser,
  SlackUserGroup,
  TeamIdentity,
} from './directory.js';
import { SlackInboundClient, type InboundClientOptions } from './inbound-client.js';
import { RateLimiter, type RateLimitedCall, type RateLimitRule } from './rate-limiter.js';
import { ResponseUrls, type ResponseUrlRecord } from './response-url.js';
import { ChannelTranscript } from './transcript-view.js';
import { WebApiServer, type ApiCall } from './web-api-double.js';
import { Workspace, type UnhandledRequest, type UploadedFile } from './workspace.js';

export interface SlackDoubleOptions {
  botToken: string;
  /** The app's signing secret; a random one by default (read it back from `signingSecret`). */
  signingSecret?: string;
  clock?: Clock;
  team?: Partial<TeamIdentity>;
  bot?: Partial<BotIdentity>;
  rateLimits?: RateLimitRule[];
}

export interface WaitOptions {
  timeoutMs?: number;
  /** What is being waited for, for the failure message. */
  description?: string;
}

export class SlackDouble {
  readonly botToken: string;
  readonly signingSecret: string;
  readonly clock: Clock;
  private readonly ws: Workspace;
  private readonly rateLimiter: RateLimiter;
  private readonly responseUrlRegistry: ResponseUrls;
  private readonly server: WebApiServer;

  private constructor(options: SlackDoubleOptions) {
    this.botToken = options.botToken;
    this.signingSecret = options.signingSecret ?? randomBytes(16).toString('hex');
    this.clock = options.clock ?? systemClock;
    this.ws = new Workspace(
      this.clock,
      { id: 'T0HARBOR01', domain: 'harbormaster-test', name: 'Harbormaster Test', ...options.team },
      {
        userId: 'U0HARBOR01',
        botId: 'B0HARBOR01',
        appId: 'A0HARBOR01',
        name: 'harbormaster',
        ...options.bot,
      },
    );
    this.rateLimiter = new RateLimiter(this.clock);
    for (const rule of options.rateLimits ?? []) this.rateLimiter.set(rule);
    this.responseUrlRegistry = new ResponseUrls(this.ws, this.clock);
    this.server = new WebApiServer({
      ws: this.ws,
      botToken: this.botToken,
      rateLimiter: this.rateLimiter,
      responseUrls: this.responseUrlRegistry,
    });
  }

  static async start(options: SlackDoubleOptions): Promise<SlackDouble> {
    const double = new SlackDouble(options);
    double.ws.baseUrl = await double.server.listen();
    return double;
  }

  /** `http://127.0.0.1:PORT` */
  get baseUrl(): string {
    return this.ws.baseUrl;
  }

  /** The Web API base URL, for `SLACK_API_URL` / WebClient's `slackApiUrl`. */
  get apiUrl(): string {
    return `${this.ws.baseUrl}/api/`;
  }

  get team(): TeamIdentity {
    return this.ws.team;
  }

  get bot(): BotIdentity {
    return this.ws.bot;
  }

  addUser(input: AddUserInput): SlackUser {
    return this.ws.directory.addUser(input);
  }

  addUserGroup(input: AddUserGroupInput): SlackUserGroup {
    return this.ws.directory.addUserGroup(input);
  }

  addChannel(input: AddChannelInput): SlackChannel {
    return this.ws.directory.addChannel(input);
  }

  /** A channel's transcript; throws for a channel that was never seeded. */
  channel(id: string): ChannelTranscript {
    return new ChannelTranscript(
      this.ws.directory.requireChannel(id),
      this.ws.transcript,
      this.ws.directory,
    );
  }

  /** The direct message channel between the app and a person. */
  dm(userId: string): ChannelTranscript {
    return new ChannelTranscript(
      this.ws.directory.imWith(userId),
      this.ws.transcript,
      this.ws.directory,
    );
  }

  /** Every channel with something in it, rendered one after the other. */
  render(): string {
    const used = new Set([
      ...this.ws.transcript.messages.map((m) => m.channel),
      ...this.ws.transcript.ephemerals.map((m) => m.channel),
    ]);
    return [...this.ws.directory.channels.values()]
      .filter((c) => used.has(c.id))
      .map((c) => this.channel(c.id).render())
      .join('\n\n');
  }

  /** Files announced with files.getUploadURLExternal, uploaded or not, shared or not. */
  get files(): UploadedFile[] {
    return [...this.ws.files.values()];
  }

  /** Every Web API call, in order, with its answer. */
  get calls(): readonly ApiCall[] {
    return this.server.calls;
  }

  callsTo(method: string): ApiCall[] {
    return this.server.calls.filter((c) => c.method === method);
  }

  /** Requests the double did not understand (unknown methods, routes, bad uploads, …). */
  get unhandled(): readonly UnhandledRequest[] {
    return this.ws.unhandled;
  }

  assertNoUnhandled(): void {
    if (this.ws.unhandled.length === 0) return;
    const lines = this.ws.unhandled.map((u) => `  ${u.httpMethod} ${u.path}: ${u.reason}`);
    throw new Error(
      `the Slack double received requests it does not understand:\n${lines.join('\n')}`,
    );
  }

  setRateLimit(rule: RateLimitRule): void {
    this.rateLimiter.set(rule);
  }

  clearRateLimits(method?: string): void {
    this.rateLimiter.clear(method);
  }

  /** Calls answered with HTTP 429. */
  get rateLimited(): readonly RateLimitedCall[] {
    return this.rateLimiter.limited;
  }

  /** Every response_url handed out, with how often it was used and refused. */
  get responseUrls(): ResponseUrlRecord[] {
    return [...this.responseUrlRegistry.records.values()];
  }

  responseUrl(url: string): ResponseUrlRecord {
    const record = this.responseUrlRegistry.byUrl(url);
    if (record === undefined) throw new Error(`the Slack double never issued ${url}`);
    return record;
  }

  /** A client that sends signed slash commands and interactions to the app's request URL. */
  inbound(options: InboundClientOptions): SlackInboundClient {
    return new SlackInboundClient(this.ws, this.responseUrlRegistry, this.signingSecret, options);
  }

  /**
   * Resolves once `condition` holds, re-checking after every change to the transcript; fails
   * after `timeoutMs` (default 10 s) with the transcript in the message.
   */
  async waitFor(condition: () => boolean, options: WaitOptions = {}): Promise<void> {
    if (condition()) return;
    const timeoutMs = options.timeoutMs ?? 10_000;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        unsubscribe();
        const what = options.description ?? 'a condition';
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${what}; Slack shows:\n${this.render()}`,
          ),
        );
      }, timeoutMs);
      const unsubscribe = this.ws.transcript.onChange(() => {
        let met: boolean;
        try {
          met = condition();
        } catch (error) {
          clearTimeout(timer);
          unsubscribe();
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        if (met) {
          clearTimeout(timer);
          unsubscribe();
          resolve();
        }
      });
    });
  }

  async stop(): Promise<void> {
    await this.server.close();
  }
}

export async function startSlackDouble(options: SlackDoubleOptions): Promise<SlackDouble> {
  return SlackDouble.start(options);
}
