import { ErrorCode, LogLevel, WebClient, type Logger } from '@slack/web-api';
import {
  manifestBotScopes,
  ManualClock,
  POST_MESSAGE_BURST,
  startSlackDouble,
  TIER_2,
  TIER_3,
  TIER_4,
  type SlackDouble,
} from '../support/slack/index.js';

const BOT_TOKEN = 'xoxb-limits-test';

const quietLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

function seed(slack: SlackDouble): void {
  slack.addUser({ id: 'U1', name: 'alice' });
  slack.addUserGroup({ id: 'S1', handle: 'deployers', users: ['U1'] });
  slack.addChannel({ id: 'C1', name: 'deploys' });
  slack.addChannel({ id: 'C2', name: 'other' });
  slack.addChannel({ id: 'C3', name: 'elsewhere', botIsMember: false });
  slack.addChannel({ id: 'G1', name: 'secret', isPrivate: true, botIsMember: false });
}

/** One raw call: status, headers and body exactly as the double answered. */
async function call(slack: SlackDouble, method: string, args: Record<string, unknown>) {
  const response = await fetch(`${slack.apiUrl}${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${BOT_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(args),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    scopes: response.headers.get('x-oauth-scopes'),
    accepted: response.headers.get('x-accepted-oauth-scopes'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe("Slack's rate limits, on by default", () => {
  let clock: ManualClock;
  let slack: SlackDouble;

  beforeEach(async () => {
    clock = new ManualClock();
    slack = await startSlackDouble({ botToken: BOT_TOKEN, clock });
    seed(slack);
  });
  afterEach(async () => {
    await slack.stop();
  });

  it('chat.postMessage: a short burst per channel, then about one a second', async () => {
    for (let i = 0; i < POST_MESSAGE_BURST; i += 1) {
      expect((await call(slack, 'chat.postMessage', { channel: 'C1', text: `${i}` })).status).toBe(
        200,
      );
    }
    const refused = await call(slack, 'chat.postMessage', { channel: 'C1', text: 'more' });
    expect(refused).toMatchObject({
      status: 429,
      retryAfter: '1',
      body: { ok: false, error: 'ratelimited' },
    });
    expect((await call(slack, 'chat.postMessage', { channel: 'C2', text: 'x' })).status).toBe(200);
    clock.advance(1000);
    expect((await call(slack, 'chat.postMessage', { channel: 'C1', text: 'a' })).status).toBe(200);
    expect((await call(slack, 'chat.postMessage', { channel: 'C1', text: 'b' })).status).toBe(429);
    expect(slack.rateLimited.map((r) => [r.method, r.channel])).toEqual([
      ['chat.postMessage', 'C1'],
      ['chat.postMessage', 'C1'],
    ]);
  });

  it('chat.update is Tier 3: 50 at once, then one every 1.2 s', async () => {
    const ts = String(
      (await call(slack, 'chat.postMessage', { channel: 'C1', text: 'v' })).body.ts,
    );
    for (let i = 0; i < TIER_3; i += 1) {
      expect((await call(slack, 'chat.update', { channel: 'C1', ts, text: `v${i}` })).status).toBe(
        200,
      );
    }
    const refused = await call(slack, 'chat.update', { channel: 'C1', ts, text: 'late' });
    expect(refused).toMatchObject({ status: 429, retryAfter: '2' });
    clock.advance(1200);
    expect((await call(slack, 'chat.update', { channel: 'C1', ts, text: 'late' })).status).toBe(
      200,
    );
  });

  it('every method the double serves has its documented tier', () => {
    const perMinute = (method: string) =>
      slack.rateLimitRules(method).map((rule) => (rule.limit * 60_000) / rule.windowMs);
    expect(perMinute('chat.update')).toEqual([TIER_3]);
    expect(perMinute('chat.postEphemeral')).toEqual([TIER_4]);
    expect(perMinute('files.getUploadURLExternal')).toEqual([TIER_4]);
    expect(perMinute('files.completeUploadExternal')).toEqual([TIER_4]);
    expect(perMinute('users.info')).toEqual([TIER_4]);
    expect(perMinute('usergroups.list')).toEqual([TIER_2]);
    expect(perMinute('usergroups.users.list')).toEqual([TIER_2]);
    expect(perMinute('conversations.info')).toEqual([TIER_3]);
    expect(perMinute('auth.test')).toEqual([TIER_4]);
    expect(perMinute('chat.postMessage')).toEqual([60, 300]);
  });

  it('is turned off per method, or replaced, for a test that studies something else', async () => {
    slack.setRateLimits([{ method: 'chat.postMessage', off: true }]);
    for (let i = 0; i < 20; i += 1) {
      expect((await call(slack, 'chat.postMessage', { channel: 'C1', text: `${i}` })).status).toBe(
        200,
      );
    }
    slack.setRateLimit({ method: 'auth.test', limit: 1, windowMs: 60_000, retryAfterSeconds: 7 });
    expect((await call(slack, 'auth.test', {})).status).toBe(200);
    expect(await call(slack, 'auth.test', {})).toMatchObject({ status: 429, retryAfter: '7' });
  });

  it("is off altogether with rateLimits: 'off'", async () => {
    const free = await startSlackDouble({ botToken: BOT_TOKEN, clock, rateLimits: 'off' });
    try {
      seed(free);
      for (let i = 0; i < 10; i += 1) {
        expect((await call(free, 'chat.postMessage', { channel: 'C1', text: `${i}` })).status).toBe(
          200,
        );
      }
      expect(free.rateLimitRules('chat.update')).toEqual([]);
    } finally {
      await free.stop();
    }
  });
});

describe('scopes: the bot token carries the manifest’s, and each method needs its own', () => {
  let slack: SlackDouble;

  beforeEach(async () => {
    slack = await startSlackDouble({ botToken: BOT_TOKEN });
    seed(slack);
  });
  afterEach(async () => {
    await slack.stop();
  });

  it('gives the bot token the scopes slack-app-manifest.yaml asks for', () => {
    expect(slack.scopes).toEqual(manifestBotScopes());
    expect(slack.scopes).toEqual(
      expect.arrayContaining(['commands', 'chat:write', 'chat:write.public', 'files:write']),
    );
  });

  it('answers a method called without its scope with missing_scope, needed and provided', async () => {
    const answer = await call(slack, 'conversations.info', { channel: 'C1' });
    expect(answer.body).toEqual({
      ok: false,
      error: 'missing_scope',
      needed: 'channels:read,groups:read,im:read,mpim:read',
      provided: manifestBotScopes().join(','),
    });
    expect(answer.accepted).toBe('channels:read,groups:read,im:read,mpim:read');
    expect(answer.scopes).toBe(manifestBotScopes().join(','));
    slack.setScopes(['commands']);
    expect((await call(slack, 'chat.postMessage', { channel: 'C1', text: 'x' })).body).toEqual({
      ok: false,
      error: 'missing_scope',
      needed: 'chat:write',
      provided: 'commands',
    });
  });

  it('posts in a public channel the bot has not joined only with chat:write.public', async () => {
    expect(
      (await call(slack, 'chat.postMessage', { channel: 'C3', text: 'hi' })).body,
    ).toMatchObject({ ok: true, channel: 'C3' });
    expect((await call(slack, 'chat.postMessage', { channel: 'G1', text: 'hi' })).body).toEqual({
      ok: false,
      error: 'channel_not_found',
    });
    slack.setScopes(manifestBotScopes().filter((scope) => scope !== 'chat:write.public'));
    expect((await call(slack, 'chat.postMessage', { channel: 'C3', text: 'hi' })).body).toEqual({
      ok: false,
      error: 'not_in_channel',
    });
    expect(slack.channel('C3').render()).toBe('#elsewhere\n@harbormaster: hi');
  });
});

describe('failure injection on any method', () => {
  let slack: SlackDouble;
  let client: WebClient;

  beforeEach(async () => {
    slack = await startSlackDouble({ botToken: BOT_TOKEN });
    seed(slack);
    client = new WebClient(BOT_TOKEN, {
      slackApiUrl: slack.apiUrl,
      logger: quietLogger,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
  });
  afterEach(async () => {
    await slack.stop();
  });

  it('answers HTTP 500 and 503 with Slack’s error bodies, then recovers', async () => {
    slack.inject({ method: 'chat.postMessage', failure: 'http_500' });
    slack.inject({ method: 'chat.postMessage', failure: 'http_503' });
    expect(await call(slack, 'chat.postMessage', { channel: 'C1', text: 'a' })).toMatchObject({
      status: 500,
      body: { ok: false, error: 'internal_error' },
    });
    await expect(client.chat.postMessage({ channel: 'C1', text: 'b' })).rejects.toMatchObject({
      code: ErrorCode.HTTPError,
      statusCode: 503,
    });
    expect((await client.chat.postMessage({ channel: 'C1', text: 'c' })).ok).toBe(true);
    expect(slack.callsTo('chat.postMessage').map((c) => [c.status, c.injected])).toEqual([
      [500, 'http_500'],
      [503, 'http_503'],
      [200, undefined],
    ]);
    expect(slack.channel('C1').render()).toBe('#deploys\n@harbormaster: c');
  });

  it('answers token_revoked, missing_scope and ratelimited as Slack does, `times` times', async () => {
    slack.inject({ method: '*', failure: 'token_revoked', times: 2 });
    await expect(client.auth.test()).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: { ok: false, error: 'token_revoked' },
    });
    await expect(client.usergroups.users.list({ usergroup: 'S1' })).rejects.toMatchObject({
      data: { error: 'token_revoked' },
    });
    expect((await client.auth.test()).ok).toBe(true);
    slack.inject({ method: 'chat.update', failure: 'missing_scope' });
    const ts = (await client.chat.postMessage({ channel: 'C1', text: 'v' })).ts ?? '';
    await expect(client.chat.update({ channel: 'C1', ts, text: 'w' })).rejects.toMatchObject({
      data: { error: 'missing_scope', needed: 'chat:write' },
    });
    slack.inject({ method: 'chat.update', failure: 'ratelimited', retryAfterSeconds: 30 });
    await expect(client.chat.update({ channel: 'C1', ts, text: 'w' })).rejects.toMatchObject({
      code: ErrorCode.RateLimitedError,
      retryAfter: 30,
    });
    expect(slack.rateLimited).toEqual([
      expect.objectContaining({ method: 'chat.update', retryAfterSeconds: 30, injected: true }),
    ]);
    expect(slack.injections.map((i) => [i.failure, i.used])).toEqual([
      ['token_revoked', 2],
      ['missing_scope', 1],
      ['ratelimited', 1],
    ]);
  });

  it('answers slowly, past the 3 s a caller waits, and then answers as usual', async () => {
    slack.inject({ method: 'users.info', failure: 'slow' });
    const late = fetch(`${slack.apiUrl}users.info`, {
      method: 'POST',
      headers: { authorization: `Bearer ${BOT_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'U1' }),
      signal: AbortSignal.timeout(3000),
    });
    await expect(late).rejects.toMatchObject({ name: 'TimeoutError' });
    expect((await client.users.info({ user: 'U1' })).user).toMatchObject({ id: 'U1' });
  });
});
