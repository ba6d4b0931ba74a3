import { App, LogLevel as BoltLogLevel } from '@slack/bolt';
import WebSocket from 'ws';
import { eventually } from '../support/eventually.js';
import { freePort } from '../support/free-port.js';
import {
  MAX_CONNECTIONS,
  startSlackDouble,
  UNACKED_RETRY_REASON,
  type SlackDouble,
  type SlackInboundClient,
} from '../support/slack/index.js';

const BOT_TOKEN = 'xoxb-socket-test';

// jest's asymmetric matchers are typed `any`; these give them a type the linter accepts.
const anyString = (): unknown => expect.any(String);
const anyNumber = (): unknown => expect.any(Number);
const matching = (pattern: RegExp): unknown => expect.stringMatching(pattern);

function seed(slack: SlackDouble): void {
  slack.addUser({ id: 'U1', name: 'alice' });
  slack.addChannel({ id: 'C1', name: 'deploys' });
}

async function openUrl(
  slack: SlackDouble,
  token = slack.appToken,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${slack.apiUrl}apps.connections.open`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  return (await response.json()) as Record<string, unknown>;
}

/** A bare WebSocket client that records every frame the double sends it. */
interface RawClient {
  socket: WebSocket;
  frames: Record<string, unknown>[];
  closed: Promise<number>;
}

async function connect(url: string): Promise<RawClient> {
  const socket = new WebSocket(url);
  const frames: Record<string, unknown>[] = [];
  socket.on('message', (data: Buffer) => {
    frames.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>);
  });
  const closed = new Promise<number>((resolve) => {
    socket.on('close', (code: number) => {
      resolve(code);
    });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => {
      resolve();
    });
    socket.once('error', reject);
  });
  return { socket, frames, closed };
}

async function connectRaw(slack: SlackDouble): Promise<RawClient> {
  const { url } = await openUrl(slack);
  const client = await connect(String(url));
  await eventually('hello arrives', () => Promise.resolve(client.frames.length > 0));
  return client;
}

describe('Socket Mode on the Slack double, at the protocol level', () => {
  let slack: SlackDouble;
  const clients: RawClient[] = [];

  beforeEach(async () => {
    slack = await startSlackDouble({
      botToken: BOT_TOKEN,
      socketMode: { ackTimeoutMs: 300, eventRetryDelaysMs: [0, 0, 0], warningGraceMs: 200 },
    });
    seed(slack);
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.socket.terminate();
    await slack.stop();
  });

  it('apps.connections.open takes the app-level token only, and hands out a ws:// URL', async () => {
    expect(await openUrl(slack)).toEqual({
      ok: true,
      url: matching(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=[\w-]+&app_id=A0HARBOR01$/),
    });
    expect(await openUrl(slack, BOT_TOKEN)).toEqual({ ok: false, error: 'not_allowed_token_type' });
    expect(await openUrl(slack, 'xapp-1-unknown')).toEqual({ ok: false, error: 'invalid_auth' });
    const post = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${slack.appToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'C1', text: 'x' }),
    });
    expect(await post.json()).toEqual({ ok: false, error: 'not_allowed_token_type' });
  });

  it('says hello on connect, and a ticket opens one connection only', async () => {
    const { url } = await openUrl(slack);
    const first = await connect(String(url));
    clients.push(first);
    await eventually('hello', () => Promise.resolve(first.frames.length === 1));
    expect(first.frames[0]).toEqual({
      type: 'hello',
      num_connections: 1,
      debug_info: {
        host: anyString(),
        started: anyString(),
        build_number: anyNumber(),
        approximate_connection_time: anyNumber(),
      },
      connection_info: { app_id: 'A0HARBOR01' },
    });
    await expect(connect(String(url))).rejects.toThrow(/401/);
    expect(slack.sockets.refused.map((r) => r.reason)).toEqual(['the ticket was already used']);
    expect(slack.sockets.open).toHaveLength(1);
  });

  it('allows 10 connections; the 11th is told too_many_websockets and closed', async () => {
    for (let i = 0; i < MAX_CONNECTIONS; i += 1) clients.push(await connectRaw(slack));
    expect(clients.at(-1)?.frames[0]).toMatchObject({ type: 'hello', num_connections: 10 });
    const { url } = await openUrl(slack);
    const extra = await connect(String(url));
    clients.push(extra);
    expect(await extra.closed).toBe(1008);
    expect(extra.frames).toEqual([
      {
        type: 'disconnect',
        reason: 'too_many_websockets',
        debug_info: { host: anyString() },
      },
    ]);
    expect(slack.sockets.open).toHaveLength(MAX_CONNECTIONS);
  });

  it('records an envelope nobody acknowledged, and shows the person the timeout', async () => {
    const client = await connectRaw(slack);
    clients.push(client);
    const response = await slack.socketMode().slashCommand({
      command: '/deploy',
      text: 'tiny',
      user: 'U1',
      channel: 'C1',
    });
    expect(response).toMatchObject({ status: 0, timedOut: true });
    expect(client.frames[1]).toMatchObject({
      type: 'slash_commands',
      accepts_response_payload: true,
      envelope_id: response.envelopeId,
      payload: { command: '/deploy', text: 'tiny', user_id: 'U1', channel_id: 'C1' },
    });
    expect(slack.sockets.envelopes.missed.map((e) => e.missed)).toEqual(['timeout']);
    expect(slack.channel('C1').renderFor('U1')).toContain(
      '/deploy failed with the error "operation_timeout"',
    );
  });

  it('retries an unacknowledged event with retry_attempt and retry_reason, up to three times', async () => {
    const client = await connectRaw(slack);
    clients.push(client);
    await slack.socketMode().event({ type: 'app_mention', user: 'U1', channel: 'C1', text: 'hi' });
    await eventually('three retries', () => Promise.resolve(client.frames.length === 5));
    const events = client.frames.slice(1);
    expect(events.map((e) => [e.type, e.retry_attempt, e.retry_reason])).toEqual([
      ['events_api', 0, ''],
      ['events_api', 1, UNACKED_RETRY_REASON],
      ['events_api', 2, UNACKED_RETRY_REASON],
      ['events_api', 3, UNACKED_RETRY_REASON],
    ]);
    expect(events.every((e) => e.accepts_response_payload === false)).toBe(true);
    expect(new Set(events.map((e) => e.envelope_id)).size).toBe(4);
  });

  it('records frames that acknowledge nothing it sent as unhandled', async () => {
    const client = await connectRaw(slack);
    clients.push(client);
    client.socket.send('not json');
    client.socket.send(JSON.stringify({ envelope_id: 'never-sent' }));
    await eventually('both recorded', () => Promise.resolve(slack.unhandled.length === 2));
    expect(slack.unhandled.map((u) => u.httpMethod)).toEqual(['WS', 'WS']);
    expect(() => {
      slack.assertNoUnhandled();
    }).toThrow(/never-sent/);
  });

  it('sends disconnect warnings and closes the connection after the grace period', async () => {
    const client = await connectRaw(slack);
    clients.push(client);
    slack.sockets.disconnect('warning');
    expect(await client.closed).toBe(1000);
    expect(client.frames[1]).toEqual({
      type: 'disconnect',
      reason: 'warning',
      debug_info: { host: anyString() },
    });
    const other = await connectRaw(slack);
    clients.push(other);
    slack.sockets.disconnect('link_disabled');
    await other.closed;
    expect(other.frames[1]).toMatchObject({ type: 'disconnect', reason: 'link_disabled' });
  });

  it('cannot deliver without an open connection: the person sees dispatch_failed', async () => {
    const response = await slack.socketMode().slashCommand({
      command: '/deploy',
      text: 'tiny',
      user: 'U1',
      channel: 'C1',
    });
    expect(response).toMatchObject({ status: 0, timedOut: false });
    expect(slack.sockets.envelopes.missed.map((e) => e.missed)).toEqual(['no_connection']);
    expect(slack.channel('C1').renderFor('U1')).toContain(
      '/deploy failed with the error "dispatch_failed"',
    );
  });
});

/** A real Bolt app: one over HTTP (signed requests), one over Socket Mode (envelopes). */
async function startBolt(slack: SlackDouble, mode: 'http' | 'socket') {
  const port = await freePort();
  const clientOptions = { slackApiUrl: slack.apiUrl };
  const app = new App({
    token: BOT_TOKEN,
    clientOptions,
    logLevel: BoltLogLevel.ERROR,
    ...(mode === 'socket'
      ? { socketMode: true, appToken: slack.appToken, installerOptions: { clientOptions } }
      : { signingSecret: slack.signingSecret }),
  });
  app.command('/deploy', async ({ command, ack, client }) => {
    await client.chat.postMessage({
      channel: command.channel_id,
      text: `Deploying ${command.text}`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `Deploying *${command.text}*` } },
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
  app.action('cancel', async ({ ack, respond }) => {
    await ack();
    await respond({ response_type: 'ephemeral', text: 'You cancelled the deploy.' });
  });
  if (mode === 'socket') await app.start();
  else await app.start({ port, host: '127.0.0.1' });
  const inbound: SlackInboundClient =
    mode === 'socket'
      ? slack.socketMode()
      : slack.inbound({ requestUrl: `http://127.0.0.1:${port}/slack/events` });
  return { app, inbound };
}

describe.each(['http', 'socket'] as const)(
  'one inbound interface for both transports: a real Bolt app over %s',
  (mode) => {
    let slack: SlackDouble;
    let app: App;
    let inbound: SlackInboundClient;

    beforeAll(async () => {
      slack = await startSlackDouble({ botToken: BOT_TOKEN });
      seed(slack);
      ({ app, inbound } = await startBolt(slack, mode));
    });
    afterAll(async () => {
      await app.stop();
      await slack.sockets.waitForAllClosed();
      await slack.stop();
    });

    it('runs a slash command and a button click, read as a person would', async () => {
      const command = await inbound.slashCommand({
        command: '/deploy',
        text: 'hello-world',
        user: 'U1',
        channel: 'C1',
      });
      expect(command).toMatchObject({ status: 200, timedOut: false });
      const message = slack.channel('C1').messages.at(0);
      expect(message?.rendered).toBe('Deploying hello-world\n[Cancel]');
      const click = await inbound.clickButton({
        channel: 'C1',
        messageTs: message?.ts ?? '',
        user: 'U1',
        label: 'Cancel',
      });
      expect(click).toMatchObject({ status: 200, timedOut: false });
      await slack.waitFor(() => slack.channel('C1').renderFor('U1').includes('You cancelled'));
      expect(slack.channel('C1').renderFor('U1')).toBe(
        [
          '#deploys',
          '@harbormaster: Deploying hello-world',
          '  [Cancel]',
          '(only visible to @alice) @harbormaster: Queued deploy of hello-world',
          '(only visible to @alice) @harbormaster: You cancelled the deploy.',
        ].join('\n'),
      );
      if (mode === 'socket') {
        expect(
          slack.sockets.envelopes.records.map((e) => [e.type, e.ackedAt !== undefined]),
        ).toEqual([
          ['slash_commands', true],
          ['interactive', true],
        ]);
        expect(slack.callsTo('apps.connections.open')).toHaveLength(1);
      }
      slack.assertNoUnhandled();
    });

    if (mode === 'socket') {
      it('reconnects through apps.connections.open after refresh_requested, then receives again', async () => {
        slack.sockets.disconnect('refresh_requested');
        await eventually(
          'a second connection',
          () =>
            Promise.resolve(
              slack.sockets.connections.length === 2 && slack.sockets.open.length === 1,
            ),
          30_000,
        );
        const again = await inbound.slashCommand({
          command: '/deploy',
          text: 'again',
          user: 'U1',
          channel: 'C1',
        });
        expect(again).toMatchObject({ status: 200, timedOut: false });
        expect(slack.callsTo('apps.connections.open').map((c) => c.status)).toEqual([200, 200]);
        expect(slack.sockets.connections[0]?.disconnects).toEqual(['refresh_requested']);
        slack.assertNoUnhandled();
      });
    }
  },
);
