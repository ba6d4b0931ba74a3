import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHANNEL, PEOPLE } from '../support/bot-harness.js';
import { startSlackProcesses, type SlackProcessHarness } from '../support/process-harness.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { testEnv } from '../support/test-env.js';
import { deployAndWait, expectNoUnhandled } from './deploy-helpers.js';

describe('the deploy history and the audit log, across restarts of the bot and worker processes and Redis', () => {
  const dir = mkdtempSync(join(testEnv().workDir, 'hm-history-'));
  let redis: RedisServer;
  let harness: SlackProcessHarness;

  afterAll(async () => {
    await harness.stopAll();
    await redis.process.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    expectNoUnhandled(harness);
  });

  const ask = async (text: string) => {
    const told = harness.slack.channel(CHANNEL.id).ephemeralFor(PEOPLE.alice.id).length;
    await harness.inbound.slashCommand({
      command: '/deploy',
      text,
      user: PEOPLE.alice.id,
      channel: CHANNEL.id,
    });
    const replies = () => harness.slack.channel(CHANNEL.id).ephemeralFor(PEOPLE.alice.id);
    await harness.slack.waitFor(() => replies().length > told, {
      timeoutMs: 30_000,
      description: `the answer to /deploy ${text}`,
    });
    return replies().at(-1)?.rendered ?? '';
  };

  it('lists the earlier deploys with their outcomes after everything restarted', async () => {
    redis = await startRedisServer(dir, undefined, { appendOnly: true });
    const { port } = redis;
    harness = await startSlackProcesses(['tiny'], { redisUrl: redis.url });
    const good = await deployAndWait(harness, 'tiny', PEOPLE.bob);
    expect(good.state).toBe('completed');
    writeFileSync(join(harness.sources.tiny ?? '', 'test.js'), 'process.exit(1);\n');
    const bad = await deployAndWait(harness, 'tiny', PEOPLE.alice);
    expect(bad.state).toBe('failed');
    const before = await ask('history tiny');

    await harness.restart(async () => {
      await redis.process.stop();
      redis = await startRedisServer(dir, port, { appendOnly: true });
    });

    const after = await ask('history tiny');
    expect(after).toBe(before);
    const lines = after.split('\n');
    const bobs = lines.findIndex((line) => line.includes('@bob'));
    const alices = lines.findIndex((line) => line.includes('@alice'));
    expect(alices).toBeGreaterThanOrEqual(0);
    // Newest first: alice's failed deploy, then bob's that succeeded.
    expect(bobs).toBeGreaterThan(alices);
    expect(lines.slice(alices, bobs).join('\n')).toMatch(/failed/i);
    expect(lines.slice(bobs).join('\n')).toMatch(/succeeded/i);

    const audit = await ask('audit tiny');
    expect(audit).toMatch(/@bob/);
    expect(audit).toMatch(/@alice/);
  }, 420_000);
});
