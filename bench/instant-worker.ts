/**
 * The worker as worker/main.ts wires it (configuration, queue, locks, records, reporting, health
 * and metrics on WORKER_PORT), but with the instant stages of bench/instant-stages.ts: what the
 * orchestration and worker-memory figures run. A bench entry point, never shipped.
 */
import { serveRoutes } from '../core/adapters/health-endpoints.js';
import { createLogger } from '../core/logger.js';
import { loadConfigOrExit, stopOnSignals } from '../core/process-lifecycle.js';
import { startWorker } from '../worker/start-worker.js';
import { workerRoutes } from '../worker/worker-routes.js';
import { instantStagePorts } from './instant-stages.js';

const config = loadConfigOrExit();
// @kubernetes/client-node, which a worker loads at its first deploy (to read the kubeconfig's
// details) and its first rollout: loaded before this worker reports ready, as in a worker that
// has run a deploy, so that the figures time deploys and not the library's one-off load.
await import('../core/adapters/kubernetes-cluster.js');
const logger = createLogger({ name: 'harbormaster-instant-worker', level: config.logLevel });
// The channel message's pacing (1.2 s between updates, the last one included, by default): a
// deliberate wait for Slack's limits, not work; the orchestration figure sets it to 0.
const interval = process.env.BENCH_PROGRESS_INTERVAL_MS;
const running = startWorker(config, logger, {
  processMetrics: true,
  stagePorts: instantStagePorts(),
  ...(interval === undefined ? {} : { tuning: { progressIntervalMs: Number(interval) } }),
});
const health = await serveRoutes(workerRoutes(running), { port: config.worker.port });
stopOnSignals(logger, async () => {
  await running.stop(10_000);
  await health.close();
});
