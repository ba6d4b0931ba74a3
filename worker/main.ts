import { createLogger } from '../core/logger.js';
import { loadConfigOrExit, stopOnSignals } from '../core/process-lifecycle.js';
import { startWorker } from './start-worker.js';

/** How long a stopping worker lets running deploys finish before handing them back. */
const SHUTDOWN_GRACE_MS = 60_000;

/** The worker process: read the configuration, take deploy jobs, stop cleanly on SIGTERM. */
const config = loadConfigOrExit();
const logger = createLogger({ name: 'harbormaster-worker', level: config.logLevel });
const running = startWorker(config, logger);
stopOnSignals(logger, () => running.stop(SHUTDOWN_GRACE_MS));
