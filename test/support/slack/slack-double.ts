/**
 * A faithful stand-in for Slack in tests: the Web API over real HTTP with Slack's rate limits and
 * scopes, response_url, upload URLs, Socket Mode, an inbound client over HTTP or Socket Mode, and
 * a transcript that reads as a person would read the channels.
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
import { FailureInjector, type Injection, type InjectionInput } from './failure-injection.js';
import { ACK_TIMEOUT_MS, SlackInboundClient, type InboundClientOptions } from './inbound-client.js';
import { HttpTransport } from './inbound-transport.js';
import {
  RateLimiter,
  type RateLimitedCall,
  type RateLimitRule,
  type RateLimitSetting,
} from './rate-limiter.js';
import { slackRateLimits } from './rate-tiers.js';
import { ResponseUrls, type ResponseUrlRecord } from './response-url.js';
import {
  MAX_CONNECTIONS,
  SocketModeServer,
  type SocketServerOptions,
} from './socket-mode/socket-server.js';
import { SocketTransport } from './socket-mode/socket-transport.js';
import { manifestBotScopes, TokenBook } from './tokens.js';
import { ChannelTranscript } from './transcript-view.js';
import { waitForTranscript, type WaitOptions } from './wait-for.js';
import { WebApiServer, type ApiCall } from './web-api-double.js';
import { Workspace, type UnhandledRequest, type UploadedFile } from './workspace.js';

export type { WaitOptions } from './wait-for.js';

export interface SlackDoubleOptions {
  botToken: string;
  /** The app-level token for Socket Mode (`xapp-…`); one is made up when absent. */
  appToken?: string;
  /** The app's signing secret; a random one by default (read it back from `signingSecret`). */
  signingSecret?: string;
  clock?: Clock;
  team?: Partial<TeamIdentity>;
  bot?: Partial<BotIdentity>;
  /**
   * Slack's rate-limit tiers apply by default. `'off'` turns them all off (for a test that
   * studies something else; say why); a list replaces the defaults of the methods it names
   * (`{ method, off: true }` turns one method's limits off).
   */
  rateLimits?: 'off' | RateLimitSetting[];
  /** The bot token's scopes; by default those of slack-app-manifest.yaml. */
  scopes?: string[];
  /** Socket Mode tuning; Slack's values by default. */
  socketMode?: Partial<SocketServerOptions>;
}

export class SlackDouble {
  readonly botToken: string;
  readonly appToken: string;
  readonly signingSecret: string;
  readonly clock: Clock;
  /** Slack's side of Socket Mode: connections, envelopes, disconnects. */
  readonly sockets: SocketModeServer;
  private readonly ws: Workspace;
  private readonly rateLimiter: RateLimiter;
  private readonly injector = new FailureInjector();
  private readonly tokens: TokenBook;
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
    this.appToken =
      options.appToken ?? `xapp-1-${this.ws.bot.appId}-1-${randomBytes(16).toString('hex')}`;
    this.tokens = new TokenBook(
      this.botToken,
      options.scopes ?? manifestBotScopes(),
      this.appToken,
    );
    this.rateLimiter = new RateLimiter(this.clock);
    if (options.rateLimits !== 'off') {
      this.rateLimiter.apply([...slackRateLimits(), ...(options.rateLimits ?? [])]);
    }
    this.responseUrlRegistry = new ResponseUrls(this.ws, this.clock);
    this.sockets = new SocketModeServer(this.ws, {
      ackTimeoutMs: ACK_TIMEOUT_MS,
      eventRetryDelaysMs: [1000, 60_000, 300_000],
      maxConnections: MAX_CONNECTIONS,
      pingIntervalMs: 10_000,
      warningGraceMs: 10_000,
      approximateConnectionTimeSeconds: 18_060,
      ...options.socketMode,
    });
    this.server = new WebApiServer({
      ws: this.ws,
      tokens: this.tokens,
      rateLimiter: this.rateLimiter,
      injector: this.injector,
      responseUrls: this.responseUrlRegistry,
      onUpgrade: (req, socket, head) => {
        this.sockets.handleUpgrade(req, socket, head);
      },
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

  /** Replaces a method's limits with this one rule (Slack's tiers are on by default). */
  setRateLimit(rule: RateLimitRule): void {
    this.rateLimiter.set(rule);
  }

  /** Applies rules and `{ method, off: true }` settings, each replacing its method's limits. */
  setRateLimits(settings: RateLimitSetting[]): void {
    this.rateLimiter.apply(settings);
  }

  /** Removes the limits of one method, or of all. */
  clearRateLimits(method?: string): void {
    this.rateLimiter.clear(method);
  }

  rateLimitRules(method: string): readonly RateLimitRule[] {
    return this.rateLimiter.rulesFor(method);
  }

  /** Makes the next call(s) to a method fail: HTTP 500/503, slow, token_revoked, … */
  inject(input: InjectionInput): Injection {
    return this.injector.inject(input);
  }

  get injections(): readonly Injection[] {
    return this.injector.injections;
  }

  clearInjections(): void {
    this.injector.clear();
  }

  /** The bot token's scopes. */
  get scopes(): string[] {
    return this.tokens.botScopes();
  }

  /** Gives the bot token other scopes, as reinstalling the app with them would. */
  setScopes(scopes: string[]): void {
    this.tokens.setBotScopes(scopes);
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
    const transport = new HttpTransport({
      requestUrl: options.requestUrl,
      signingSecret: this.signingSecret,
      clock: this.clock,
      ackTimeoutMs: options.ackTimeoutMs ?? ACK_TIMEOUT_MS,
    });
    return new SlackInboundClient(
      this.ws,
      this.responseUrlRegistry,
      transport,
      options.requestUrl,
      options.verificationToken,
    );
  }

  /**
   * The same client, sending Socket Mode envelopes over the app's WebSocket instead: the app
   * connects with `appToken` through apps.connections.open.
   */
  socketMode(options: { verificationToken?: string } = {}): SlackInboundClient {
    return new SlackInboundClient(
      this.ws,
      this.responseUrlRegistry,
      new SocketTransport(this.sockets.envelopes),
      'Socket Mode',
      options.verificationToken,
    );
  }

  /**
   * Resolves once `condition` holds, re-checking after every change to the transcript; fails
   * after `timeoutMs` (default 10 s) with the transcript in the message.
   */
  async waitFor(condition: () => boolean, options: WaitOptions = {}): Promise<void> {
    await waitForTranscript(this.ws.transcript, condition, options, () => this.render());
  }

  async stop(): Promise<void> {
    await this.sockets.close();
    await this.server.close();
  }
}

export async function startSlackDouble(options: SlackDoubleOptions): Promise<SlackDouble> {
  return SlackDouble.start(options);
}
