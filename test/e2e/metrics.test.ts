import { serveRoutes, type HttpEndpoint } from '../../core/adapters/health-endpoints.js';
import { STAGES } from '../../core/domain/stages.js';
import { workerRoutes } from '../../worker/worker-routes.js';
import { startDeployHarness, type DeployHarness } from '../support/deploy-harness.js';
import { eventually } from '../support/eventually.js';
import { sampleValue, scrape } from '../support/prometheus-text.js';
import { expectNoUnhandled, finalMessage, sendDeploy } from './deploy-helpers.js';

/** GET /metrics on the bot and the worker, as Prometheus scrapes them, around a real deploy. */
describe('/metrics after a deploy from Slack', () => {
  let harness: DeployHarness;
  let workerHttp: HttpEndpoint;

  beforeAll(async () => {
    harness = await startDeployHarness(['tiny']);
    const worker = harness.workers[0];
    if (!worker) throw new Error('no worker');
    workerHttp = await serveRoutes(workerRoutes(worker), { port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await workerHttp.close();
    await harness.stopAll();
  });
  afterEach(() => {
    expectNoUnhandled(harness);
  });

  it('counts the deploy with its stage durations, and the queue depth goes back to 0', async () => {
    const queue = { queue: harness.queueName };
    const worker = harness.workers[0];
    if (!worker) throw new Error('no worker');
    // Paused, the worker leaves the deploy on the queue, where both processes count it.
    await worker.worker.pause();
    const jobId = await sendDeploy(harness, 'tiny');
    for (const port of [harness.port, workerHttp.port]) {
      await eventually(`port ${port} counts the deploy waiting`, async () => {
        const text = await scrape(port);
        return sampleValue(text, 'harbormaster_queue_waiting', queue) === 1;
      });
    }
    await worker.worker.resume();
    const { state } = await finalMessage(harness, jobId);
    expect(state).toBe('completed');

    const text = await scrape(workerHttp.port);
    const deploy = { service: 'tiny', environment: 'staging' };
    expect(
      sampleValue(text, 'harbormaster_deploys_total', { ...deploy, result: 'succeeded' }),
    ).toBe(1);
    expect(
      sampleValue(text, 'harbormaster_deploy_duration_seconds_count', {
        ...deploy,
        result: 'succeeded',
      }),
    ).toBe(1);
    const stageSeconds: Record<string, number | undefined> = {};
    for (const stage of STAGES) {
      const labels = { stage, result: 'succeeded' };
      expect(sampleValue(text, 'harbormaster_stage_duration_seconds_count', labels)).toBe(1);
      stageSeconds[stage] = sampleValue(text, 'harbormaster_stage_duration_seconds_sum', labels);
    }
    // Building and rolling out pods that really start take time; each sum is that stage's time.
    expect(stageSeconds.build).toBeGreaterThan(0);
    expect(stageSeconds.verify).toBeGreaterThan(0);
    expect(
      sampleValue(text, 'harbormaster_stage_duration_seconds_bucket', {
        stage: 'build',
        result: 'succeeded',
        le: '+Inf',
      }),
    ).toBe(1);
    expect(sampleValue(text, 'harbormaster_deploy_wait_seconds_count', deploy)).toBe(1);
    expect(sampleValue(text, 'harbormaster_release_locks_held')).toBe(0);
    expect(
      sampleValue(text, 'harbormaster_slack_api_calls_total', {
        method: 'chat.update',
        outcome: 'ok',
      }),
    ).toBeGreaterThan(0);

    for (const port of [harness.port, workerHttp.port]) {
      await eventually(`port ${port} counts the queue empty`, async () => {
        const now = await scrape(port);
        return ['waiting', 'delayed', 'active'].every(
          (state) => sampleValue(now, `harbormaster_queue_${state}`, queue) === 0,
        );
      });
    }
    const bot = await scrape(harness.port);
    // The bot posted the queued message; the worker updated it.
    expect(
      sampleValue(bot, 'harbormaster_slack_api_calls_total', {
        method: 'chat.postMessage',
        outcome: 'ok',
      }),
    ).toBe(1);
  }, 180_000);
});
