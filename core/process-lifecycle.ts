import { ConfigError, loadConfig, type Config } from './config.js';
import type { Logger } from './logger.js';

/** EX_CONFIG from sysexits.h: the configuration is wrong; restarting will not help. */
const EXIT_CONFIG = 78;

/** Reads the configuration, or stops the process with the message a person can act on. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(EXIT_CONFIG);
    }
    throw error;
  }
}

/** Runs `stop` once on SIGTERM or SIGINT, then exits. */
export function stopOnSignals(logger: Logger, stop: () => Promise<void>): void {
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'stopping');
    await stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
