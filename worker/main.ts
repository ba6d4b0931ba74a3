import { ConfigError, loadConfig } from '../core/config.js';
import { createLogger } from '../core/logger.js';
import { startWorker } from './start-worker.js';

/** How long a stopping worker lets running deploys finish before handing them back. */
const SHUTDOWN_GRACE_MS = 60_000;

/** The worker process: read the configuration, take deploy jobs, stop cleanly on SIGTERM. */
function main(): void {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const logger = createLogger({ name: 'harbormaster-worker', level: config.logLevel });
  const running = startWorker(config, logger);
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'worker stopping: no new deploys; running ones may finish');
    await running.stop(SHUTDOWN_GRACE_MS);
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main();
