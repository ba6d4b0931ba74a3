import { PEOPLE } from '../support/bot-harness.js';
import { CHANNEL, startDeployHarness, type DeployHarness } from '../support/deploy-harness.js';
import { eventually } from '../support/eventually.js';
import { expectNoUnhandled, finalMessage, sendDeploy } from './deploy-helpers.js';

/**
 * Socket Mode is what slack-app-manifest.yaml turns on: the real Bolt app opens the double's
 * WebSocket with its app-level token, and every command reaches it as an envelope.
 */
describe('Socket Mode: the real Bolt app deploys through the WebSocket', () => {
  let harness: DeployHarness;

  beforeAll(async () => {
    harness = await startDeployHarness(['tiny', 'other', 'third'], { socketMode: true });
  });
  afterAll(async () => {
    await harness.stopAll();
  });
  afterEach(() => {
    expectNoUnhandled(harness);
    expect(harness.slack.sockets.envelopes.missed).toEqual([]);
  });

  it('connects with the app-level token: apps.connections.open, then one open connection', () => {
    const opens = harness.slack.callsTo('apps.connections.open');
    expect(opens.map((call) => call.status)).toEqual([200]);
    expect(opens[0]?.response.ok).toBe(true);
    expect(opens[0]?.response.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\//);
    expect(harness.slack.sockets.open).toHaveLength(1);
  });

  it('/deploy tiny through the WebSocket ends with the address in the channel', async () => {
    const { message, state } = await finalMessage(harness, await sendDeploy(harness, 'tiny'));
    expect(state).toBe('completed');
    const lines = message.rendered.split('\n');
    expect(lines[0]).toBe(':white_check_mark: Deployed tiny@main → staging');
    expect(lines).toContainEqual(expect.stringMatching(/^Address: http:\/\/\S+$/));
    const commands = harness.slack.sockets.envelopes.records.filter(
      (envelope) => envelope.type === 'slash_commands',
    );
    expect(commands).toHaveLength(1);
    expect(commands[0]?.payload).toMatchObject({ command: '/deploy', text: 'tiny' });
    expect(commands[0]?.ackedAt).toEqual(expect.any(Number));
  });

  it("shows the acknowledgement's payload to the person who typed the command", async () => {
    const response = await harness.inbound.slashCommand({
      command: '/deploy',
      text: 'help',
      user: PEOPLE.bob.id,
      channel: CHANNEL.id,
    });
    expect(response).toMatchObject({ status: 200, timedOut: false });
    const shown = harness.slack.channel(CHANNEL.id).renderFor(PEOPLE.bob.id);
    expect(shown).toMatch(/\/deploy <service>/);
    expect(harness.slack.channel(CHANNEL.id).render({ ephemeral: false })).not.toMatch(
      /\/deploy <service>/,
    );
  });

  it('a refresh_requested disconnect mid-run loses neither the running deploy nor the next command', async () => {
    const running = await sendDeploy(harness, 'other');
    const before = harness.slack.sockets.connections.length;
    harness.slack.sockets.disconnect('refresh_requested');
    await eventually(
      'the bot reconnects through apps.connections.open',
      () =>
        Promise.resolve(
          harness.slack.sockets.connections.length === before + 1 &&
            harness.slack.sockets.open.length === 1,
        ),
      30_000,
    );
    expect(harness.slack.callsTo('apps.connections.open').map((call) => call.status)).toEqual([
      200, 200,
    ]);
    const next = await sendDeploy(harness, 'third', PEOPLE.bob);
    const [first, second] = await Promise.all([
      finalMessage(harness, running),
      finalMessage(harness, next),
    ]);
    expect(first.state).toBe('completed');
    expect(second.state).toBe('completed');
    expect(second.message.rendered.split('\n')[0]).toBe(
      ':white_check_mark: Deployed third@main → staging',
    );
    expect(harness.slack.sockets.connections.at(-2)?.disconnects).toEqual(['refresh_requested']);
  });
});
