import { serveRoutes } from '../core/adapters/health-endpoints.js';
import { createLogger } from '../core/logger.js';
import { loadConfigOrExit, stopOnSignals } from '../core/process-lifecycle.js';
import { startWorker } from './start-worker.js';
import { startQueueDashboard } from './queue-dashboard.js';
import { workerRoutes } from './worker-routes.js';
import { checkTools, MissingTool } from './tool-check.js';

/** How long a stopping worker lets running deploys finish before handing them back. */
const SHUTDOWN_GRACE_MS = 60_000;

/**
 * The worker process: read the configuration, take deploy jobs, serve /healthz, /readyz and
 * /metrics on WORKER_PORT (and the queue dashboard on its own port, when configured), stop
 * cleanly on SIGTERM.
 */
const config = loadConfigOrExit();
const logger = createLogger({ name: 'harbormaster-worker', level: config.logLevel });
try {
  await checkTools(config, logger);
} catch (error) {
  if (!(error instanceof MissingTool)) throw error;
  process.stderr.write(`${error.message}\n`);
  // EX_UNAVAILABLE: a program the worker needs is missing; restarting will not help.
  process.exit(69);
}
const running = startWorker(config, logger, { processMetrics: true });
const health = await serveRoutes(workerRoutes(running), { port: config.worker.port });
logger.info({ port: health.port }, 'worker health endpoints serving');
const dashboard = await startQueueDashboard(config, logger);
stopOnSignals(logger, async () => {
  await running.stop(SHUTDOWN_GRACE_MS);
  await health.close();
  await dashboard?.close();
});
