import { createApp } from './app.js';
import type { ServiceConfig } from './config.js';
import type { Logger } from './logger.js';
import { createReadiness, type Readiness } from './readiness.js';
import { startServer } from './server.js';

export interface RunningService {
  readonly url: string;
  readonly port: number;
  readonly readiness: Readiness;
  /**
   * Graceful stop: readiness flips to 503, no new connection is accepted, requests in flight
   * finish. Resolves true when nothing was cut off.
   */
  stop(): Promise<boolean>;
}

/** The hello-world service listening on config.host:config.port. */
export async function startService(options: {
  config: ServiceConfig;
  logger: Logger;
}): Promise<RunningService> {
  const { config, logger } = options;
  const readiness = createReadiness();
  const app = createApp({ name: config.name, version: config.version, logger, readiness });
  const server = await startServer({
    handler: app,
    host: config.host,
    port: config.port,
    logger,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
  });
  logger.info({ host: config.host, port: server.port }, 'listening');
  return {
    url: server.url,
    port: server.port,
    readiness,
    async stop() {
      readiness.markShuttingDown();
      logger.info('shutting down: no new connections, finishing requests in flight');
      const drained = await server.close();
      logger.info({ drained }, 'stopped');
      return drained;
    },
  };
}
