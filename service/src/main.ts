import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startService } from './service.js';

// Entry point: node dist/main.js. Exit codes: 0 after a graceful stop, 1 on a start-up
// failure or when the shutdown timeout cut requests off.
try {
  const config = loadConfig();
  const logger = createLogger(config);
  const service = await startService({ config, logger });
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'signal received');
    service.stop().then(
      (drained) => {
        process.exit(drained ? 0 : 1);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} catch (error) {
  const message = error instanceof ConfigError ? error.message : String(error);
  process.stderr.write(
    `${JSON.stringify({ level: 'fatal', msg: 'the service could not start', error: message })}\n`,
  );
  process.exit(1);
}
