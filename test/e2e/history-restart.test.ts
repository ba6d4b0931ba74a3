import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PEOPLE } from '../support/bot-harness.js';
import { CHANNEL, startDeployHarness, type DeployHarness } from '../support/deploy-harness.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { testEnv, uniqueName } from '../support/test-env.js';
import { deployAndWait, expectNoUnhandled } from './deploy-helpers.js';

describe('the deploy history and the audit log, across restarts of bot, worker and Redis', () => {
  const dir = mkdtempSync(join(testEnv().workDir, 'hm-history-'));
  const queueName = uniqueName('history');
  let redis: RedisServer | undefined;
  let harness: DeployHarness;

  afterAll(async () => {
    await harness.stopAll();
    await redis?.process.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  afterEach(() => {
    expectNoUnhandled(harness);
  });

  const ask = async (h: DeployHarness, text: string) => {
    await h.inbound.slashCommand({
      command: '/deploy',
      text,
      user: PEOPLE.alice.id,
      channel: CHANNEL.id,
    });
    return h.slack.channel(CHANNEL.id).ephemeralFor(PEOPLE.alice.id).at(-1)?.rendered ?? '';
  };

  it('lists the earlier deploys with their outcomes after everything restarted', async () => {
    redis = await startRedisServer(dir, undefined, { appendOnly: true });
    const { port } = redis;
    harness = await startDeployHarness(['tiny'], { redisUrl: redis.url, queueName });
    const good = await deployAndWait(harness, 'tiny', PEOPLE.bob);
    expect(good.state).toBe('completed');
    writeFileSync(join(harness.sources.tiny ?? '', 'test.js'), 'process.exit(1);\n');
    const bad = await deployAndWait(harness, 'tiny', PEOPLE.alice);
    expect(bad.state).toBe('failed');
    const before = await ask(harness, 'history tiny');

    await harness.stopAll();
    await redis.process.stop();
    redis = await startRedisServer(dir, port, { appendOnly: true });
    harness = await startDeployHarness(['tiny'], { redisUrl: redis.url, queueName });

    const after = await ask(harness, 'history tiny');
    // The same, but for the links to messages: the Slack double restarted knows none of them.
    const unlinked = (text: string) => text.replaceAll(' · message', '');
    expect(unlinked(after)).toBe(unlinked(before));
    const lines = after.split('\n');
    const bobs = lines.findIndex((line) => line.includes('@bob'));
    const alices = lines.findIndex((line) => line.includes('@alice'));
    expect(alices).toBeGreaterThanOrEqual(0);
    // Newest first: alice's failed deploy, then bob's that succeeded.
    expect(bobs).toBeGreaterThan(alices);
    expect(lines.slice(alices, bobs).join('\n')).toMatch(/failed/i);
    expect(lines.slice(bobs).join('\n')).toMatch(/succeeded/i);

    const audit = await ask(harness, 'audit tiny');
    expect(audit).toMatch(/@bob/);
    expect(audit).toMatch(/@alice/);
  }, 300_000);
});
