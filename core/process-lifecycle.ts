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

/**
 * Runs `stop` on the first SIGTERM or SIGINT, then exits; a second signal exits at once.
 *
 * The listeners stay for the process's life (not `once`): execa's clean-up (signal-exit), loaded
 * while a program such as helm runs, treats a signal with no other listener as the process
 * dying, and kills the program. A graceful stop must let it finish.
 */
export function stopOnSignals(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'stopping now, without waiting');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'stopping');
    void stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
