import { createServer, type IncomingMessage, type Server } from 'node:http';
import { App, LogLevel as BoltLogLevel, verifySlackRequest } from '@slack/bolt';
import { ErrorCode, LogLevel, WebClient, WebClientEvent, type Logger } from '@slack/web-api';
import { freePort } from '../support/free-port.js';
import {
  ManualClock,
  manifestBotScopes,
  RESPONSE_URL_LIFETIME_MS,
  STALE_OFFSET_SECONDS,
  startSlackDouble,
  type SlackDouble,
} from '../support/slack/index.js';

const BOT_TOKEN = 'xoxb-harbormaster-test';
const SIGNING_SECRET = 'harbormaster-signing-secret';

function seed(slack: SlackDouble): void {
  slack.addUser({ id: 'U1', name: 'alice', realName: 'Alice Doe' });
  slack.addUser({ id: 'U2', name: 'bob' });
  slack.addUser({ id: 'U3', name: 'carol' });
  slack.addUserGroup({ id: 'S1', handle: 'deployers', name: 'Deployers', users: ['U1'] });
  slack.addChannel({ id: 'C1', name: 'deploys', members: ['U1', 'U2'] });
  slack.addChannel({ id: 'C2', name: 'archive', isArchived: true });
  slack.addChannel({ id: 'C3', name: 'elsewhere', botIsMember: false });
}

/** The client logs the `[ERROR] …` messages of every refused call; the tests expect refusals. */
const quietLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

function webClient(slack: SlackDouble, token = BOT_TOKEN): WebClient {
  return new WebClient(token, {
    slackApiUrl: slack.apiUrl,
    logger: quietLogger,
    retryConfig: { retries: 0 },
  });
}

interface RawAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function rawCall(url: string, init: RequestInit): Promise<RawAnswer> {
  const response = await fetch(url, { method: 'POST', ...init });
  const body = (await response.json()) as Record<string, unknown>;
  return { status: response.status, headers: response.headers, body };
}

// jest's asymmetric matchers are typed `any`; these give them a type the linter accepts.
const anyString = (): unknown => expect.any(String);
const containing = (fields: Record<string, unknown>): unknown => expect.objectContaining(fields);

function platformError(error: string): Record<string, unknown> {
  return { code: ErrorCode.PlatformError, data: containing({ ok: false, error }) };
}

describe('Slack Web API double, through the official @slack/web-api client', () => {
  let slack: SlackDouble;
  let client: WebClient;

  beforeAll(async () => {
    slack = await startSlackDouble({
      botToken: BOT_TOKEN,
      clock: new ManualClock(),
      // These tests study each method's answers, dozens of calls on a clock that never moves;
      // the limits have their own tests below.
      rateLimits: 'off',
      // conversations.info needs channels:read, which the manifest does not ask for.
      scopes: [...manifestBotScopes(), 'channels:read'],
    });
    seed(slack);
    client = webClient(slack);
  });

  afterAll(async () => {
    await slack.stop();
  });

  it('answers auth.test with the bot identity', async () => {
    const result = await client.auth.test();
    expect(result).toMatchObject({
      ok: true,
      user_id: slack.bot.userId,
      bot_id: slack.bot.botId,
      team_id: slack.team.id,
      user: 'harbormaster',
    });
  });

  it('posts, threads, updates and renders messages as a person reads them', async () => {
    const posted = await client.chat.postMessage({
      channel: 'C1',
      text: 'Deploying hello-world',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Deploy hello-world' } },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: '*Requested by* <@U1> for <!subteam^S1>' },
          fields: [
            { type: 'mrkdwn', text: '*Environment*\nstaging' },
            { type: 'mrkdwn', text: '*Stage*\nbuild' },
          ],
        },
        { type: 'divider' },
        {
          type: 'context',
          elements: [{ type: 'mrkdwn', text: 'see <https://ci.example/1|the log>' }],
        },
      ],
    });
    expect(posted).toMatchObject({
      ok: true,
      channel: 'C1',
      message: { text: 'Deploying hello-world' },
    });
    const ts = posted.ts ?? '';
    await client.chat.postMessage({ channel: 'C1', thread_ts: ts, text: 'build: ok' });
    await client.chat.postMessage({ channel: '#deploys', thread_ts: ts, text: 'push: ok' });
    const updated = await client.chat.update({
      channel: 'C1',
      ts,
      text: 'Deployed hello-world',
      blocks: [
        {
          type: 'section',
          text: { type: 'mrkdwn', text: ':white_check_mark: *hello-world* is live' },
        },
      ],
    });
    expect(updated).toMatchObject({ ok: true, channel: 'C1', ts, text: 'Deployed hello-world' });

    const channel = slack.channel('C1');
    expect(channel.render()).toBe(
      [
        '#deploys',
        '@harbormaster: :white_check_mark: hello-world is live (edited)',
        '  └ @harbormaster: build: ok',
        '  └ @harbormaster: push: ok',
      ].join('\n'),
    );
    const message = channel.messages.at(0);
    expect(message?.history.map((v) => v.rendered)).toEqual([
      [
        'Deploy hello-world',
        'Requested by @alice for @deployers',
        'Environment',
        'staging',
        'Stage',
        'build',
        '---',
        'see the log',
      ].join('\n'),
    ]);
    expect(message?.replies.map((r) => r.text)).toEqual(['build: ok', 'push: ok']);
    expect(message?.blocks.at(0)?.block_id).toEqual(anyString());
  });

  it('broadcasts thread replies, opens direct messages and deletes messages', async () => {
    const parent = await client.chat.postMessage({ channel: 'C1', text: 'Deploy started' });
    await client.chat.postMessage({
      channel: 'C1',
      thread_ts: parent.ts ?? '',
      text: 'Deploy failed at verify',
      reply_broadcast: true,
    });
    const render = slack.channel('C1').render();
    expect(render).toContain(
      [
        '@harbormaster: Deploy started',
        '  └ @harbormaster: Deploy failed at verify',
        '@harbormaster (replied to a thread): Deploy failed at verify',
      ].join('\n'),
    );
    const dm = await client.chat.postMessage({ channel: 'U2', text: 'Your deploy failed' });
    expect(dm.channel).toMatch(/^D/);
    expect(slack.dm('U2').render()).toBe(
      '@bob (direct message)\n@harbormaster: Your deploy failed',
    );
    await client.chat.delete({ channel: dm.channel ?? '', ts: dm.ts ?? '' });
    expect(slack.dm('U2').render()).toBe('@bob (direct message)');
    await expect(client.chat.delete({ channel: 'C1', ts: '1.000001' })).rejects.toMatchObject(
      platformError('message_not_found'),
    );
  });

  it('keeps what chat.update leaves out, as Slack does', async () => {
    const posted = await client.chat.postMessage({
      channel: 'C1',
      text: 'fallback',
      blocks: [{ type: 'section', text: { type: 'plain_text', text: 'kept blocks' } }],
    });
    await client.chat.update({ channel: 'C1', ts: posted.ts ?? '', text: 'new fallback' });
    const message = slack.channel('C1').message(posted.ts ?? '');
    expect(message).toMatchObject({ text: 'new fallback', rendered: 'kept blocks' });
  });

  it('shows ephemeral messages only to their recipient', async () => {
    const result = await client.chat.postEphemeral({
      channel: 'C1',
      user: 'U2',
      text: 'Only for <@U2>',
    });
    expect(result).toMatchObject({ ok: true, message_ts: anyString() });
    const channel = slack.channel('C1');
    expect(channel.ephemeralFor('U2').map((m) => m.rendered)).toEqual(['Only for @bob']);
    expect(channel.renderFor('U2')).toContain(
      '(only visible to @bob) @harbormaster: Only for @bob',
    );
    expect(channel.renderFor('U1')).not.toContain('Only for');
    expect(channel.render({ ephemeral: false })).not.toContain('Only for');
  });

  it('gives permalinks for messages', async () => {
    const posted = await client.chat.postMessage({ channel: 'C1', text: 'link me' });
    const ts = posted.ts ?? '';
    const result = await client.chat.getPermalink({ channel: 'C1', message_ts: ts });
    expect(result.permalink).toBe(
      `https://harbormaster-test.slack.com/archives/C1/p${ts.replace('.', '')}`,
    );
    await expect(
      client.chat.getPermalink({ channel: 'C1', message_ts: '1.000001' }),
    ).rejects.toMatchObject(platformError('message_not_found'));
  });

  it('looks up users, user groups and channels seeded by the test', async () => {
    const user = await client.users.info({ user: 'U1' });
    expect(user.user).toMatchObject({
      id: 'U1',
      name: 'alice',
      real_name: 'Alice Doe',
      is_bot: false,
    });
    const groups = await client.usergroups.list({ include_users: true });
    expect(groups.usergroups).toEqual([
      containing({ id: 'S1', handle: 'deployers', users: ['U1'] }),
    ]);
    const members = await client.usergroups.users.list({ usergroup: 'S1' });
    expect(members.users).toEqual(['U1']);
    const info = await client.conversations.info({ channel: 'C1' });
    expect(info.channel).toMatchObject({
      id: 'C1',
      name: 'deploys',
      is_member: true,
      is_archived: false,
    });

    await expect(client.users.info({ user: 'U404' })).rejects.toMatchObject(
      platformError('user_not_found'),
    );
    await expect(client.usergroups.users.list({ usergroup: 'S404' })).rejects.toMatchObject(
      platformError('no_such_subteam'),
    );
    await expect(client.conversations.info({ channel: 'C404' })).rejects.toMatchObject(
      platformError('channel_not_found'),
    );
  });

  it("answers argument errors with Slack's names", async () => {
    await expect(client.apiCall('chat.postMessage', { text: 'no channel' })).rejects.toMatchObject(
      platformError('channel_not_found'),
    );
    await expect(client.chat.postMessage({ channel: 'C404', text: 'x' })).rejects.toMatchObject(
      platformError('channel_not_found'),
    );
    await expect(client.chat.postMessage({ channel: 'C1', text: '' })).rejects.toMatchObject(
      platformError('no_text'),
    );
    await expect(client.chat.postMessage({ channel: 'C2', text: 'x' })).rejects.toMatchObject(
      platformError('is_archived'),
    );
    // chat:write.public (the manifest asks for it) covers chat.postMessage only.
    await expect(
      client.chat.postEphemeral({ channel: 'C3', user: 'U1', text: 'x' }),
    ).rejects.toMatchObject(platformError('not_in_channel'));
    await expect(
      client.chat.update({ channel: 'C1', ts: '1.000001', text: 'x' }),
    ).rejects.toMatchObject(platformError('message_not_found'));
    await expect(client.apiCall('chat.update', { channel: 'C1', text: 'x' })).rejects.toMatchObject(
      platformError('message_not_found'),
    );
    await expect(
      client.chat.postEphemeral({ channel: 'C1', user: 'U3', text: 'x' }),
    ).rejects.toMatchObject(platformError('user_not_in_channel'));
  });

  it('enforces the message and Block Kit limits', async () => {
    await expect(
      client.chat.postMessage({ channel: 'C1', text: 'x'.repeat(40_001) }),
    ).rejects.toMatchObject(platformError('msg_too_long'));
    await expect(
      client.chat.postMessage({ channel: 'C1', text: 'x'.repeat(40_000) }),
    ).resolves.toMatchObject({
      ok: true,
    });

    const dividers = Array.from({ length: 51 }, () => ({ type: 'divider' as const }));
    await expect(
      client.chat.postMessage({ channel: 'C1', text: 'many', blocks: dividers }),
    ).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: containing({
        error: 'invalid_blocks',
        response_metadata: containing({
          messages: ['[ERROR] no more than 50 items allowed [json-pointer:/blocks]'],
        }),
      }),
    });
    await expect(
      client.chat.postMessage({ channel: 'C1', text: 'fifty', blocks: dividers.slice(1) }),
    ).resolves.toMatchObject({ ok: true });

    const longSection = {
      type: 'section' as const,
      text: { type: 'mrkdwn' as const, text: 's'.repeat(3001) },
    };
    await expect(
      client.chat.postMessage({ channel: 'C1', text: 'long', blocks: [longSection] }),
    ).rejects.toMatchObject({
      data: containing({
        error: 'invalid_blocks',
        response_metadata: containing({
          messages: [
            '[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]',
          ],
        }),
      }),
    });
    const longHeader = {
      type: 'header' as const,
      text: { type: 'plain_text' as const, text: 'h'.repeat(151) },
    };
    await expect(
      client.chat.postMessage({ channel: 'C1', text: 'h', blocks: [longHeader] }),
    ).rejects.toMatchObject(platformError('invalid_blocks'));
    const posted = await client.chat.postMessage({ channel: 'C1', text: 'will not grow' });
    await expect(
      client.chat.update({ channel: 'C1', ts: posted.ts ?? '', text: 'u', blocks: [longSection] }),
    ).rejects.toMatchObject(platformError('invalid_blocks'));
    await expect(
      client.chat.postEphemeral({ channel: 'C1', user: 'U1', text: 'x'.repeat(40_001) }),
    ).rejects.toMatchObject(platformError('msg_too_long'));
    await expect(
      client.apiCall('chat.postMessage', { channel: 'C1', blocks: '[not json' }),
    ).rejects.toMatchObject(platformError('invalid_blocks_format'));
    expect(slack.channel('C1').message(posted.ts ?? '').history).toEqual([]);
  });

  it('answers API errors with HTTP 200 and ok:false, as Slack does', async () => {
    const answer = await rawCall(`${slack.apiUrl}chat.postMessage`, {
      headers: {
        authorization: `Bearer ${BOT_TOKEN}`,
        'content-type': 'application/json; charset=utf-8',
      },
      body: JSON.stringify({ channel: 'C404', text: 'x' }),
    });
    expect(answer).toMatchObject({ status: 200, body: { ok: false, error: 'channel_not_found' } });
  });

  it('checks the token: missing is not_authed, wrong is invalid_auth', async () => {
    const anonymous = await rawCall(`${slack.apiUrl}auth.test`, {});
    expect(anonymous).toMatchObject({ status: 200, body: { ok: false, error: 'not_authed' } });
    await expect(webClient(slack, 'xoxb-wrong').auth.test()).rejects.toMatchObject(
      platformError('invalid_auth'),
    );

    const formToken = await rawCall(`${slack.apiUrl}auth.test`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: BOT_TOKEN }).toString(),
    });
    expect(formToken.body).toMatchObject({ ok: true });
    const jsonBodyToken = await rawCall(`${slack.apiUrl}auth.test`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: BOT_TOKEN }),
    });
    expect(jsonBodyToken.body).toMatchObject({ ok: false, error: 'not_authed' });
  });

  it('accepts form-encoded and JSON bodies alike', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'via *JSON*' } }];
    const json = await rawCall(`${slack.apiUrl}chat.postMessage`, {
      headers: {
        authorization: `Bearer ${BOT_TOKEN}`,
        'content-type': 'application/json; charset=utf-8',
      },
      body: JSON.stringify({ channel: 'C1', text: 'json', blocks }),
    });
    const form = await rawCall(`${slack.apiUrl}chat.postMessage`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token: BOT_TOKEN,
        channel: 'C1',
        text: 'form',
        blocks: JSON.stringify([{ type: 'section', text: { type: 'mrkdwn', text: 'via *form*' } }]),
      }).toString(),
    });
    const channel = slack.channel('C1');
    expect(channel.message(String(json.body.ts)).rendered).toBe('via JSON');
    expect(channel.message(String(form.body.ts)).rendered).toBe('via form');
    const xml = await rawCall(`${slack.apiUrl}auth.test`, {
      headers: { authorization: `Bearer ${BOT_TOKEN}`, 'content-type': 'text/xml' },
      body: '<auth/>',
    });
    expect(xml.body).toMatchObject({ ok: false, error: 'invalid_post_type' });
  });

  it('shares files uploaded with files.uploadV2 into a channel thread', async () => {
    const parent = await client.chat.postMessage({ channel: 'C1', text: 'Deploy failed' });
    const result = await client.filesUploadV2({
      channel_id: 'C1',
      thread_ts: parent.ts ?? '',
      filename: 'helm.log',
      title: 'helm upgrade output',
      content: 'Error: UPGRADE FAILED\ntimed out waiting for the condition\n',
      initial_comment: 'Log tail for <@U1>',
    });
    expect(result.ok).toBe(true);
    const reply = slack
      .channel('C1')
      .message(parent.ts ?? '')
      .replies.at(0);
    expect(reply?.rendered).toBe('Log tail for @alice');
    expect(reply?.files.map((f) => ({ name: f.name, title: f.title, content: f.content }))).toEqual(
      [
        {
          name: 'helm.log',
          title: 'helm upgrade output',
          content: 'Error: UPGRADE FAILED\ntimed out waiting for the condition\n',
        },
      ],
    );
    expect(slack.channel('C1').render()).toContain(
      [
        '@harbormaster: Deploy failed',
        '  └ @harbormaster: Log tail for @alice',
        '    [file: helm.log "helm upgrade output"]',
        '      Error: UPGRADE FAILED',
        '      timed out waiting for the condition',
      ].join('\n'),
    );
  });

  it('runs the external upload flow step by step, with its errors', async () => {
    await expect(
      client.files.getUploadURLExternal({ filename: 'x.txt', length: 0 }),
    ).rejects.toMatchObject(platformError('missing_argument'));
    await expect(client.apiCall('files.getUploadURLExternal', { length: 3 })).rejects.toMatchObject(
      platformError('invalid_arguments'),
    );
    const ticket = await client.files.getUploadURLExternal({ filename: 'report.txt', length: 5 });
    expect(ticket.upload_url?.startsWith(`${slack.baseUrl}/upload/v1/`)).toBe(true);
    const fileId = ticket.file_id ?? '';
    await expect(
      client.files.completeUploadExternal({ files: [{ id: fileId }] }),
    ).rejects.toMatchObject(platformError('file_not_found'));
    const upload = await fetch(ticket.upload_url ?? '', { method: 'POST', body: 'hello' });
    expect(upload.status).toBe(200);
    expect(await upload.text()).toBe('OK - 5');
    await expect(
      client.files.completeUploadExternal({ files: [{ id: fileId }], channel_id: 'C404' }),
    ).rejects.toMatchObject(platformError('channel_not_found'));
    const done = await client.files.completeUploadExternal({
      files: [{ id: fileId, title: 'Report' }],
      channel_id: 'C1',
    });
    expect(done.files).toEqual([containing({ id: fileId, title: 'Report' })]);
    expect(slack.channel('C1').files.map((f) => f.content)).toContain('hello');
    await expect(
      client.files.completeUploadExternal({ files: [{ id: fileId }] }),
    ).rejects.toMatchObject(platformError('file_not_found'));
  });

  it('answers unknown methods with unknown_method and records them as unhandled', async () => {
    const before = slack.unhandled.length;
    await expect(
      client.apiCall('views.open', { trigger_id: '1.2.3', view: {} }),
    ).rejects.toMatchObject(platformError('unknown_method'));
    const raw = await rawCall(`${slack.apiUrl}chat.scheduleMessage`, {
      headers: { authorization: `Bearer ${BOT_TOKEN}` },
    });
    expect(raw).toMatchObject({
      status: 200,
      body: { ok: false, error: 'unknown_method', req_method: 'chat.scheduleMessage' },
    });
    const route = await fetch(`${slack.baseUrl}/nowhere`, { method: 'POST' });
    expect(route.status).toBe(404);
    expect(slack.unhandled.slice(before).map((u) => u.method ?? u.path)).toEqual([
      'views.open',
      'chat.scheduleMessage',
      '/nowhere',
    ]);
    expect(() => {
      slack.assertNoUnhandled();
    }).toThrow(/unknown Web API method views\.open/);
  });

  it('records replies to a ts that names no message as unhandled (Slack would hide them)', async () => {
    const before = slack.unhandled.length;
    await client.chat.postMessage({ channel: 'C1', thread_ts: '1.000001', text: 'lost reply' });
    expect(slack.unhandled.slice(before).map((u) => u.reason)).toEqual([
      'thread_ts 1.000001 names no message in C1; the reply would be invisible',
    ]);
  });
});

describe('Slack Web API double rate limits', () => {
  it('answers 429 with Retry-After and ratelimited, until the window passes', async () => {
    const clock = new ManualClock();
    const slack = await startSlackDouble({ botToken: BOT_TOKEN, clock });
    try {
      seed(slack);
      slack.setRateLimit({ method: 'chat.update', limit: 2, windowMs: 60_000 });
      const client = new WebClient(BOT_TOKEN, {
        slackApiUrl: slack.apiUrl,
        logger: quietLogger,
        rejectRateLimitedCalls: true,
      });
      const posted = await client.chat.postMessage({ channel: 'C1', text: 'v0' });
      const ts = posted.ts ?? '';
      await client.chat.update({ channel: 'C1', ts, text: 'v1' });
      await client.chat.update({ channel: 'C1', ts, text: 'v2' });
      clock.advance(15_000);
      await expect(client.chat.update({ channel: 'C1', ts, text: 'v3' })).rejects.toMatchObject({
        code: ErrorCode.RateLimitedError,
        retryAfter: 45,
      });
      const raw = await rawCall(`${slack.apiUrl}chat.update`, {
        headers: { authorization: `Bearer ${BOT_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ channel: 'C1', ts, text: 'v3' }),
      });
      expect(raw.status).toBe(429);
      expect(raw.headers.get('retry-after')).toBe('45');
      expect(raw.body).toEqual({ ok: false, error: 'ratelimited' });
      expect(
        await client.chat.postMessage({ channel: 'C1', text: 'other methods go on' }),
      ).toMatchObject({ ok: true });

      clock.advance(45_000);
      await expect(client.chat.update({ channel: 'C1', ts, text: 'v3' })).resolves.toMatchObject({
        ok: true,
      });
      expect(
        slack
          .channel('C1')
          .message(ts)
          .history.map((v) => v.text),
      ).toEqual(['v0', 'v1', 'v2']);
      expect(slack.callsTo('chat.update').map((c) => c.status)).toEqual([200, 200, 429, 429, 200]);
    } finally {
      await slack.stop();
    }
  });

  it("lets @slack/web-api's automatic retry wait out Retry-After and succeed", async () => {
    const slack = await startSlackDouble({ botToken: BOT_TOKEN });
    try {
      seed(slack);
      slack.setRateLimit({ method: 'chat.update', limit: 1, windowMs: 1000, retryAfterSeconds: 1 });
      const client = new WebClient(BOT_TOKEN, {
        slackApiUrl: slack.apiUrl,
        logger: quietLogger,
        retryConfig: { retries: 2, factor: 1, minTimeout: 0, maxTimeout: 0 },
      });
      const waits: number[] = [];
      client.on(WebClientEvent.RATE_LIMITED, (seconds: number) => {
        waits.push(seconds);
      });
      const posted = await client.chat.postMessage({ channel: 'C1', text: 'Deploying' });
      const ts = posted.ts ?? '';
      await client.chat.update({ channel: 'C1', ts, text: 'Building' });
      const result = await client.chat.update({ channel: 'C1', ts, text: 'Pushing' });
      expect(result.ok).toBe(true);
      expect(waits).toEqual([1]);
      expect(slack.rateLimited).toEqual([
        containing({ method: 'chat.update', retryAfterSeconds: 1 }),
      ]);
      expect(slack.callsTo('chat.update').map((c) => c.status)).toEqual([200, 429, 200]);
      expect(slack.channel('C1').render()).toBe('#deploys\n@harbormaster: Pushing (edited)');
      slack.assertNoUnhandled();
    } finally {
      await slack.stop();
    }
  });
});

interface CapturedRequest {
  headers: IncomingMessage['headers'];
  body: string;
  verified: boolean;
  error?: string;
}

interface CaptureApp {
  url: string;
  requests: CapturedRequest[];
  /** What the app answers a verified request with. */
  reply: { status: number; contentType?: string; body: string };
  close(): Promise<void>;
}

/** A minimal app endpoint that verifies every request with Bolt's verifier, as an app must. */
async function startCaptureApp(slack: SlackDouble): Promise<CaptureApp> {
  const requests: CapturedRequest[] = [];
  const app: CaptureApp = {
    url: '',
    requests,
    reply: { status: 200, body: '' },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const signature = req.headers['x-slack-signature'];
      const timestamp = req.headers['x-slack-request-timestamp'];
      const captured: CapturedRequest = { headers: req.headers, body, verified: false };
      try {
        verifySlackRequest({
          signingSecret: SIGNING_SECRET,
          body,
          headers: {
            'x-slack-signature':
              typeof signature === 'string' ? signature : (undefined as unknown as string),
            'x-slack-request-timestamp': Number(timestamp),
          },
          nowMilliseconds: slack.clock.now(),
        });
        captured.verified = true;
      } catch (error) {
        captured.error = error instanceof Error ? error.message : String(error);
      }
      requests.push(captured);
      if (!captured.verified) {
        res.writeHead(401).end();
        return;
      }
      const headers =
        app.reply.contentType === undefined ? {} : { 'content-type': app.reply.contentType };
      res.writeHead(app.reply.status, headers).end(app.reply.body);
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  app.url = `http://127.0.0.1:${port}/slack/events`;
  return app;
}

describe('inbound requests to the app, and response_url', () => {
  let clock: ManualClock;
  let slack: SlackDouble;
  let app: CaptureApp;

  beforeEach(async () => {
    clock = new ManualClock();
    slack = await startSlackDouble({ botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, clock });
    seed(slack);
    app = await startCaptureApp(slack);
  });

  afterEach(async () => {
    await app.close();
    await slack.stop();
  });

  it('sends a slash command as Slack does: a signed form with every field', async () => {
    const inbound = slack.inbound({ requestUrl: app.url, verificationToken: 'legacy-token' });
    const result = await inbound.slashCommand({
      command: '/deploy',
      text: 'hello-world staging',
      user: 'U1',
      channel: 'C1',
    });
    expect(result.status).toBe(200);
    const request = app.requests.at(0);
    expect(request?.verified).toBe(true);
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.headers['x-slack-request-timestamp']).toBe(
      String(Math.floor(clock.now() / 1000)),
    );
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      token: 'legacy-token',
      team_id: slack.team.id,
      team_domain: 'harbormaster-test',
      channel_id: 'C1',
      channel_name: 'deploys',
      user_id: 'U1',
      user_name: 'alice',
      command: '/deploy',
      text: 'hello-world staging',
      api_app_id: slack.bot.appId,
      is_enterprise_install: 'false',
      response_url: result.responseUrl,
      trigger_id: result.triggerId,
    });
  });

  it("is refused by Bolt's verifier when forged, unsigned or stale", async () => {
    const inbound = slack.inbound({ requestUrl: app.url });
    const command = { command: '/deploy', text: 'x', user: 'U1', channel: 'C1' };
    const forged = await inbound.slashCommand({ ...command, signing: { signature: 'forged' } });
    const missing = await inbound.slashCommand({ ...command, signing: { signature: 'missing' } });
    const stale = await inbound.slashCommand({
      ...command,
      signing: { timestampOffsetSeconds: STALE_OFFSET_SECONDS },
    });
    expect([forged.status, missing.status, stale.status]).toEqual([401, 401, 401]);
    expect(app.requests.map((r) => r.error)).toEqual([
      expect.stringMatching(/signature mismatch/),
      anyString(), // Bolt's verifier fails on the absent header before any check of its own
      expect.stringMatching(/stale/),
    ]);
    expect(slack.channel('C1').renderFor('U1')).toBe(
      [
        '#deploys',
        '(only visible to @alice) @slackbot: /deploy failed with the error "http_client_error"',
        '(only visible to @alice) @slackbot: /deploy failed with the error "http_client_error"',
        '(only visible to @alice) @slackbot: /deploy failed with the error "http_client_error"',
      ].join('\n'),
    );
  });

  it('adds the retry headers Slack sends on redelivery', async () => {
    const inbound = slack.inbound({ requestUrl: app.url });
    await inbound.slashCommand({
      command: '/deploy',
      user: 'U1',
      channel: 'C1',
      retry: { num: 1, reason: 'http_timeout' },
    });
    expect(app.requests[0]?.headers).toMatchObject({
      'x-slack-retry-num': '1',
      'x-slack-retry-reason': 'http_timeout',
    });
  });

  it("shows the acknowledgement's body to the person who typed the command", async () => {
    const inbound = slack.inbound({ requestUrl: app.url });
    app.reply = { status: 200, body: 'Queued *hello-world*' };
    await inbound.slashCommand({
      command: '/deploy',
      text: 'hello-world',
      user: 'U1',
      channel: 'C1',
    });
    app.reply = {
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({ response_type: 'in_channel', text: '<@U2> is deploying hello-world' }),
    };
    await inbound.slashCommand({
      command: '/deploy',
      text: 'hello-world',
      user: 'U2',
      channel: 'C1',
    });
    expect(slack.channel('C1').render()).toBe(
      [
        '#deploys',
        '(only visible to @alice) @harbormaster: Queued hello-world',
        '@bob: /deploy hello-world',
        '@harbormaster: @bob is deploying hello-world',
      ].join('\n'),
    );
  });

  it('accepts 5 uses of a response_url and refuses the 6th with used_url', async () => {
    const inbound = slack.inbound({ requestUrl: app.url });
    const { responseUrl } = await inbound.slashCommand({
      command: '/deploy',
      text: 'hello-world',
      user: 'U1',
      channel: 'C1',
    });
    const post = (text: string): Promise<RawAnswer> =>
      rawCall(responseUrl, {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text }),
      });
    const answers: RawAnswer[] = [];
    for (const step of ['test', 'build', 'push', 'helm', 'verify']) {
      clock.advance(60_000);
      answers.push(await post(`${step}: ok`));
    }
    expect(answers.map((a) => [a.status, a.body])).toEqual(
      Array.from({ length: 5 }, () => [200, { ok: true }]),
    );
    const sixth = await post('done');
    expect(sixth).toMatchObject({ status: 404, body: { ok: false, error: 'used_url' } });
    expect(slack.responseUrl(responseUrl)).toMatchObject({ uses: 5, refused: 1 });
    expect(
      slack
        .channel('C1')
        .ephemeralFor('U1')
        .map((m) => m.text),
    ).toEqual(['test: ok', 'build: ok', 'push: ok', 'helm: ok', 'verify: ok']);
  });

  it('refuses a response_url 30 minutes after the request with expired_url', async () => {
    const inbound = slack.inbound({ requestUrl: app.url });
    const { responseUrl } = await inbound.slashCommand({
      command: '/deploy',
      user: 'U1',
      channel: 'C1',
    });
    const post = (): Promise<RawAnswer> =>
      rawCall(responseUrl, {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'late' }),
      });
    clock.advance(RESPONSE_URL_LIFETIME_MS);
    expect((await post()).status).toBe(200);
    clock.advance(1);
    expect(await post()).toMatchObject({ status: 404, body: { ok: false, error: 'expired_url' } });
    expect(slack.channel('C1').ephemeralFor('U1')).toHaveLength(1);
  });

  it('checks messages sent to a response_url like chat.postMessage does', async () => {
    const inbound = slack.inbound({ requestUrl: app.url });
    const { responseUrl } = await inbound.slashCommand({
      command: '/deploy',
      user: 'U1',
      channel: 'C1',
    });
    const post = (payload: unknown): Promise<RawAnswer> =>
      rawCall(responseUrl, {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      });
    expect(await post({ response_type: 'in_channel' })).toMatchObject({
      status: 400,
      body: { error: 'no_text' },
    });
    const blocks = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    expect(await post({ text: 'x', blocks })).toMatchObject({
      status: 400,
      body: { error: 'invalid_blocks' },
    });
    expect(slack.responseUrl(responseUrl).uses).toBe(0);
  });

  it('replaces and deletes the message a button was clicked on, through the response_url', async () => {
    const client = webClient(slack);
    const posted = await client.chat.postMessage({
      channel: 'C1',
      text: 'Approve deploy?',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'Deploy *hello-world* to production?' } },
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: 'approve',
              text: { type: 'plain_text', text: 'Approve' },
              value: 'hello-world',
              style: 'primary',
            },
            { type: 'button', text: { type: 'plain_text', text: 'Reject' } },
          ],
        },
      ],
    });
    const ts = posted.ts ?? '';
    const inbound = slack.inbound({ requestUrl: app.url });
    const click = await inbound.clickButton({
      channel: 'C1',
      messageTs: ts,
      user: 'U2',
      label: 'Approve',
    });
    expect(click.status).toBe(200);
    const payload = JSON.parse(
      new URLSearchParams(app.requests[0]?.body).get('payload') ?? '{}',
    ) as Record<string, unknown>;
    expect(payload).toMatchObject({
      type: 'block_actions',
      user: { id: 'U2', username: 'bob' },
      container: { type: 'message', message_ts: ts, channel_id: 'C1', is_ephemeral: false },
      channel: { id: 'C1', name: 'deploys' },
      message: { ts, text: 'Approve deploy?' },
      response_url: click.responseUrl,
      actions: [
        {
          type: 'button',
          action_id: 'approve',
          value: 'hello-world',
          style: 'primary',
          block_id: anyString(),
        },
      ],
    });

    const replaced = await rawCall(click.responseUrl, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ replace_original: true, text: 'Approved by <@U2>' }),
    });
    expect(replaced.status).toBe(200);
    expect(slack.channel('C1').render()).toBe('#deploys\n@harbormaster: Approved by @bob (edited)');
    expect(slack.channel('C1').message(ts).history[0]?.rendered).toBe(
      'Deploy hello-world to production?\n[Approve] [Reject]',
    );
    await expect(
      inbound.clickButton({ channel: 'C1', messageTs: ts, user: 'U2', label: 'Approve' }),
    ).rejects.toThrow(/no button Approve/);

    const deleted = await rawCall(click.responseUrl, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ delete_original: true }),
    });
    expect(deleted.status).toBe(200);
    expect(slack.channel('C1').render()).toBe('#deploys');
    await expect(client.chat.update({ channel: 'C1', ts, text: 'gone' })).rejects.toMatchObject(
      platformError('message_not_found'),
    );
  });

  it('clicks buttons on ephemeral messages, which only their recipient can', async () => {
    const client = webClient(slack);
    const { message_ts: ts = '' } = await client.chat.postEphemeral({
      channel: 'C1',
      user: 'U1',
      text: 'Confirm',
      blocks: [
        {
          type: 'section',
          text: { type: 'plain_text', text: 'Really deploy?' },
          accessory: {
            type: 'button',
            action_id: 'yes',
            text: { type: 'plain_text', text: 'Yes' },
          },
        },
      ],
    });
    const inbound = slack.inbound({ requestUrl: app.url });
    await expect(
      inbound.clickButton({ channel: 'C1', messageTs: ts, user: 'U2', actionId: 'yes' }),
    ).rejects.toThrow(/bob sees no message/);
    const click = await inbound.clickButton({
      channel: 'C1',
      messageTs: ts,
      user: 'U1',
      actionId: 'yes',
    });
    const payload = JSON.parse(
      new URLSearchParams(app.requests[0]?.body).get('payload') ?? '{}',
    ) as Record<string, unknown>;
    expect(payload).toMatchObject({ container: { is_ephemeral: true, message_ts: ts } });
    expect(payload).not.toHaveProperty('message');
    await rawCall(click.responseUrl, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ replace_original: true, text: 'Deploy queued' }),
    });
    expect(slack.channel('C1').renderFor('U1')).toBe(
      '#deploys\n(only visible to @alice) @harbormaster: Deploy queued (edited)',
    );
  });
});

describe('a real Bolt 5 app against the double', () => {
  let slack: SlackDouble;
  let app: App;
  let requestUrl: string;

  beforeAll(async () => {
    slack = await startSlackDouble({ botToken: BOT_TOKEN });
    seed(slack);
    app = new App({
      token: BOT_TOKEN,
      signingSecret: slack.signingSecret,
      clientOptions: { slackApiUrl: slack.apiUrl },
      logLevel: BoltLogLevel.ERROR,
    });
    app.command('/deploy', async ({ command, ack, client }) => {
      // Posting before acknowledging keeps the transcript's order deterministic for this test.
      await client.chat.postMessage({
        channel: command.channel_id,
        text: `Deploying ${command.text}`,
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: `Deploy ${command.text}` } },
          {
            type: 'section',
            text: { type: 'mrkdwn', text: `Requested by <@${command.user_id}> for <!subteam^S1>` },
          },
          {
            type: 'actions',
            elements: [
              {
                type: 'button',
                action_id: 'cancel',
                text: { type: 'plain_text', text: 'Cancel' },
                value: command.text,
              },
            ],
          },
        ],
      });
      await ack(`Queued deploy of *${command.text}*`);
    });
    app.action('cancel', async ({ ack, body, client, respond }) => {
      await ack();
      if (body.type !== 'block_actions' || body.message === undefined || body.channel === undefined)
        return;
      const value = body.actions[0]?.type === 'button' ? (body.actions[0].value ?? '') : '';
      await client.chat.update({
        channel: body.channel.id,
        ts: body.message.ts,
        text: `Deploy of ${value} cancelled`,
        blocks: [
          {
            type: 'section',
            text: { type: 'mrkdwn', text: `Deploy of *${value}* cancelled by <@${body.user.id}>` },
          },
        ],
      });
      await respond({ response_type: 'ephemeral', text: 'You cancelled the deploy.' });
    });
    const port = await freePort();
    await app.start({ port, host: '127.0.0.1' });
    requestUrl = `http://127.0.0.1:${port}/slack/events`;
  });

  afterAll(async () => {
    await app.stop();
    await slack.stop();
  });

  it('runs a slash command and a button click end to end, read as a person would', async () => {
    const inbound = slack.inbound({ requestUrl });
    const command = await inbound.slashCommand({
      command: '/deploy',
      text: 'hello-world',
      user: 'U1',
      channel: 'C1',
    });
    expect(command.status).toBe(200);
    const channel = slack.channel('C1');
    const message = channel.messages.at(0);
    expect(message?.rendered).toBe(
      'Deploy hello-world\nRequested by @alice for @deployers\n[Cancel]',
    );

    const click = await inbound.clickButton({
      channel: 'C1',
      messageTs: message?.ts ?? '',
      user: 'U1',
      label: 'Cancel',
    });
    expect(click.status).toBe(200);
    await slack.waitFor(() => channel.ephemeralFor('U1').length === 2, {
      description: 'the cancel reply',
    });

    expect(channel.render()).toBe(
      [
        '#deploys',
        '@harbormaster: Deploy of hello-world cancelled by @alice (edited)',
        '(only visible to @alice) @harbormaster: Queued deploy of hello-world',
        '(only visible to @alice) @harbormaster: You cancelled the deploy.',
      ].join('\n'),
    );
    expect(slack.responseUrl(click.responseUrl).uses).toBe(1);
    expect(slack.calls.map((c) => c.method)).toEqual([
      'auth.test',
      'chat.postMessage',
      'chat.update',
    ]);
    slack.assertNoUnhandled();
  });

  it("is refused by Bolt's own signature check when forged or stale", async () => {
    const inbound = slack.inbound({ requestUrl });
    const forged = await inbound.slashCommand({
      command: '/deploy',
      text: 'x',
      user: 'U2',
      channel: 'C1',
      signing: { signature: 'forged' },
    });
    const stale = await inbound.slashCommand({
      command: '/deploy',
      text: 'x',
      user: 'U2',
      channel: 'C1',
      signing: { timestampOffsetSeconds: STALE_OFFSET_SECONDS },
    });
    expect([forged.status, stale.status]).toEqual([401, 401]);
    expect(
      slack
        .channel('C1')
        .ephemeralFor('U2')
        .map((m) => m.text),
    ).toEqual([
      '/deploy failed with the error "http_client_error"',
      '/deploy failed with the error "http_client_error"',
    ]);
  });
});
