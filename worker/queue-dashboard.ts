import type { HttpEndpoint } from '../core/adapters/health-endpoints.js';
import { serveQueueDashboard } from '../core/adapters/queue-dashboard.js';
import { createRedisConnection } from '../core/adapters/redis-connection.js';
import type { Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';

/** The queue dashboard when QUEUE_DASHBOARD_PORT is set (with its password); nothing otherwise. */
export async function startQueueDashboard(
  config: Config,
  logger: Logger,
): Promise<HttpEndpoint | undefined> {
  if (config.queueDashboard === undefined) return undefined;
  const { port, username, password } = config.queueDashboard;
  const connection = createRedisConnection(config.redis.url, { blocking: false });
  connection.on('error', (error: Error) => {
    logger.warn({ err: error }, 'queue dashboard: redis connection error');
  });
  const dashboard = await serveQueueDashboard({
    connection,
    queueName: config.queue.name,
    prefix: config.queue.prefix,
    credentials: { username, password },
    port,
  });
  logger.info(
    { port: dashboard.port },
    'queue dashboard serving (read-only, Basic authentication)',
  );
  return {
    port: dashboard.port,
    close: async () => {
      await dashboard.close();
      connection.disconnect();
    },
  };
}
