import { BullmqDeployQueue } from '../core/adapters/bullmq-deploy-queue.js';
import { createBrakeAdapters } from '../core/adapters/redis-brakes.js';
import { LazyKubernetesCluster } from '../core/adapters/lazy-kubernetes-cluster.js';
import { PrometheusMetrics } from '../core/adapters/prometheus-metrics.js';
import { createRedisConnection } from '../core/adapters/redis-connection.js';
import { createLogger } from '../core/logger.js';
import { loadConfigOrExit, stopOnSignals } from '../core/process-lifecycle.js';
import { startBot } from './start-bot.js';

/** The bot process: read the configuration, connect, serve until SIGTERM. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger({ name: 'harbormaster-bot', level: config.logLevel });
  const redisOptions = { blocking: false, tlsCaFile: config.redis.tlsCaFile };
  const connection = createRedisConnection(config.redis.url, redisOptions);
  const follow = createRedisConnection(config.redis.url, { ...redisOptions, blocking: true });
  for (const redis of [connection, follow]) {
    redis.on('error', (error) => {
      logger.warn({ err: error }, 'redis connection error');
    });
  }
  const queue = new BullmqDeployQueue({
    connection,
    queueName: config.queue.name,
    prefix: config.queue.prefix,
    jobKey: config.jobs.key,
    onError: (error) => {
      logger.warn({ err: error }, 'deploy queue connection error');
    },
    onWithdrawFailed: (error, jobId) => {
      logger.error({ err: error, jobId }, 'a job that landed after its deadline was not withdrawn');
    },
  });
  const metrics = new PrometheusMetrics({
    queue: { name: config.queue.name, depth: () => queue.depth() },
    processMetrics: true,
  });
  const cluster = new LazyKubernetesCluster(
    config.kube.kubeconfig ? { kubeconfigPath: config.kube.kubeconfig } : {},
  );
  const { close: closeBrakes, ...brakes } = createBrakeAdapters({
    connection,
    queueName: config.queue.name,
    prefix: config.queue.prefix,
    jobKey: config.jobs.key,
    ...config.brakes,
  });
  const bot = await startBot(
    config,
    { catalog: config.catalog, queue, cluster, ...brakes, logger },
    { redis: connection, follow },
    metrics,
  );
  logger.info({ port: bot.port, surfaces: bot.surfaces }, 'bot started');
  if (bot.console) {
    // Like Jupyter's: the one place a token made at start-up is shown, so that a person can
    // open the console; it is never in a log record.
    const link = bot.console.link(bot.port);
    logger.info({ url: link.split('?')[0] }, 'console serving');
    process.stdout.write(`\n  Harbormaster console: ${link}\n\n`);
  }

  stopOnSignals(logger, async () => {
    await bot.stop();
    await queue.close();
    await closeBrakes();
    connection.disconnect();
    follow.disconnect();
  });
}

await main();
