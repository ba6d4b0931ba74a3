import { BullmqDeployQueue } from '../core/adapters/bullmq-deploy-queue.js';
import { KubernetesCluster } from '../core/adapters/kubernetes-cluster.js';
import { PrometheusMetrics } from '../core/adapters/prometheus-metrics.js';
import { createRedisConnection } from '../core/adapters/redis-connection.js';
import { SlackChat } from '../core/adapters/slack/slack-chat.js';
import { SlackDirectory } from '../core/adapters/slack/slack-directory.js';
import { createLogger } from '../core/logger.js';
import { loadConfigOrExit, stopOnSignals } from '../core/process-lifecycle.js';
import { createBot } from './app.js';

/** The bot process: read the configuration, connect, serve until SIGTERM. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger({ name: 'harbormaster-bot', level: config.logLevel });
  const connection = createRedisConnection(config.redis.url, { blocking: false });
  connection.on('error', (error: Error) => {
    logger.warn({ err: error }, 'redis connection error');
  });
  const queue = new BullmqDeployQueue({
    connection,
    queueName: config.queue.name,
    prefix: config.queue.prefix,
    onError: (error) => {
      logger.warn({ err: error }, 'deploy queue connection error');
    },
  });
  const metrics = new PrometheusMetrics({
    queue: { name: config.queue.name, depth: () => queue.depth() },
    processMetrics: true,
  });
  const chat = new SlackChat({
    token: config.slack.botToken,
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    logger,
    metrics,
  });
  const deps = {
    catalog: config.catalog,
    queue,
    chat,
    directory: new SlackDirectory({ client: chat.client }),
    cluster: new KubernetesCluster(
      config.kube.kubeconfig ? { kubeconfigPath: config.kube.kubeconfig } : {},
    ),
    logger,
  };
  const bot = createBot(config.slack, config.http.port, deps, [metrics.route()]);
  const port = await bot.start();
  logger.info({ port, mode: config.slack.appToken ? 'socket' : 'http' }, 'bot started');

  stopOnSignals(logger, async () => {
    await bot.stop();
    await queue.close();
    connection.disconnect();
  });
}

await main();
