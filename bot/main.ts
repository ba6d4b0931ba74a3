import { BullmqDeployQueue } from '../core/adapters/bullmq-deploy-queue.js';
import { createBrakeAdapters } from '../core/adapters/redis-brakes.js';
import { KubernetesCluster } from '../core/adapters/kubernetes-cluster.js';
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
  connection.on('error', (error) => {
    logger.warn({ err: error }, 'redis connection error');
  });
  const queue = new BullmqDeployQueue({
    connection,
    queueName: config.queue.name,
    onError: (error) => {
      logger.warn({ err: error }, 'deploy queue connection error');
    },
  });
  const chat = new SlackChat({
    token: config.slack.botToken,
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    logger,
  });
  const brakes = createBrakeAdapters({
    connection,
    queueName: config.queue.name,
    ...config.brakes,
  });
  const bot = createBot(config.slack, config.http.port, {
    catalog: config.catalog,
    queue,
    ...brakes,
    chat,
    directory: new SlackDirectory({ client: chat.client }),
    cluster: new KubernetesCluster(
      config.kube.kubeconfig ? { kubeconfigPath: config.kube.kubeconfig } : {},
    ),
    logger,
  });
  const port = await bot.start();
  logger.info({ port, mode: config.slack.appToken ? 'socket' : 'http' }, 'bot started');

  stopOnSignals(logger, async () => {
    await bot.stop();
    await queue.close();
    await brakes.close();
    connection.disconnect();
  });
}

await main();
