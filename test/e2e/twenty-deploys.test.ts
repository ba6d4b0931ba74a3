import {
  ALERTS_CHANNEL,
  CHANNEL,
  startDeployHarness,
  type DeployHarness,
} from '../support/deploy-harness.js';
import {
  spawnWorkerProcess,
  stopWorkerProcess,
  type WorkerProcess,
} from '../support/worker-process.js';
import { expectNoUnhandled, finalMessage, sendDeploy } from './deploy-helpers.js';

/** Twenty services, each a copy of the tiny fixture (one image's layers, twenty releases). */
const SERVICES = Array.from({ length: 20 }, (_, i) => `svc${String(i + 1).padStart(2, '0')}`);

/** Counts per key, in key order: what the test prints. */
function tally(keys: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of [...keys].sort()) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}

// Slack's default limits stay on: that is what this test is about.
describe('twenty deploys at once in one channel, on two worker processes, within Slack rate limits', () => {
  let harness: DeployHarness;
  let workers: WorkerProcess[] = [];

  beforeAll(async () => {
    // One replica each: twenty releases' pods really run, and one per release is enough here.
    harness = await startDeployHarness(SERVICES, {
      inProcessWorker: false,
      values: { replicaCount: 1 },
      // One person asks for all twenty at once: more than the default 10 a minute.
      limits: { deploysPerPersonPerMinute: 20 },
    });
    // The product's own job lock (30 s): nobody dies here, so no deploy should be resumed.
    workers = await Promise.all([
      spawnWorkerProcess(harness.env, { lockDurationMs: 30_000 }),
      spawnWorkerProcess(harness.env, { lockDurationMs: 30_000 }),
    ]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(workers.map(stopWorkerProcess));
    await harness.stopAll();
  });
  afterEach(() => {
    expectNoUnhandled(harness);
  });

  it('every deploy ends with its address, no one sees a rate limit, and both workers share the work', async () => {
    const started = Date.now();
    const jobIds = await Promise.all(SERVICES.map((service) => sendDeploy(harness, service)));
    const ends = await Promise.all(jobIds.map((jobId) => finalMessage(harness, jobId, 900_000)));
    const seconds = (Date.now() - started) / 1000;

    const calls = harness.slack.calls;
    const limited = harness.slack.rateLimited;
    const doneBy = workers.map(
      (worker) => jobIds.filter((id) => worker.logs.some((line) => line.jobId === id)).length,
    );
    console.log(
      [
        `twenty deploys in one channel: all ended after ${seconds.toFixed(1)} s`,
        `Web API calls: ${String(calls.length)} ${JSON.stringify(tally(calls.map((c) => c.method)))}`,
        `429s waited out: ${String(limited.length)} ${JSON.stringify(tally(limited.map((c) => c.method)))}`,
        `deploys per worker process: ${doneBy.join(' + ')}`,
      ].join('\n'),
    );

    for (const [i, end] of ends.entries()) {
      expect(end.state).toBe('completed');
      const lines = end.message.rendered.split('\n');
      expect(lines[0]).toBe(`:white_check_mark: Deployed ${SERVICES[i] ?? ''}@main → staging`);
      expect(lines).toContainEqual(
        expect.stringMatching(/^Address: http:\/\/127\.0\.0\.1:3\d{4}$/),
      );
      expect(end.message.rendered).not.toContain('Resumed after a worker restart');
    }
    // One message per deploy, each its own, and nothing else: no error, no second post, no
    // private "Slack is busy" answer, no failure notice.
    const channel = harness.slack.channel(CHANNEL.id);
    expect(channel.messages).toHaveLength(SERVICES.length);
    expect(new Set(ends.map((end) => end.message.ts)).size).toBe(SERVICES.length);
    expect(channel.ephemeral).toEqual([]);
    expect(harness.slack.responseUrls.filter((url) => url.uses > 0)).toEqual([]);
    expect(harness.slack.channel(ALERTS_CHANNEL.id).messages).toEqual([]);
    // The limits were met (else this test proves nothing), and every 429 was waited out.
    expect(limited.length).toBeGreaterThan(0);
    expect(calls.filter((call) => call.status >= 400 && call.status !== 429)).toEqual([]);
    expect(calls.filter((call) => call.status === 200 && call.response.ok !== true)).toEqual([]);
    // Both processes took deploys, and no deploy ran on both.
    expect(doneBy.every((count) => count > 0)).toBe(true);
    expect(doneBy.reduce((a, b) => a + b, 0)).toBe(SERVICES.length);
  }, 900_000);
});
