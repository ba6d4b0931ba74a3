import { WebClient } from '@slack/web-api';
import { BullmqDeployQueue } from '../core/adapters/bullmq-deploy-queue.js';
import { KubernetesCluster } from '../core/adapters/kubernetes-cluster.js';
import { createRedisConnection } from '../core/adapters/redis-connection.js';
import { SlackDirectory } from '../core/adapters/slack-directory.js';
import { ConfigError, loadConfig } from '../core/config.js';
import { createLogger } from '../core/logger.js';
import { createBot } from './app.js';

/** The bot process: read the configuration, connect, serve until SIGTERM. */
async function main(): Promise<void> {
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
  const client = new WebClient(
    config.slack.botToken,
    config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {},
  );
  const bot = createBot(config.slack, config.http.port, {
    catalog: config.catalog,
    queue,
    directory: new SlackDirectory({ client }),
    cluster: new KubernetesCluster(
      config.kube.kubeconfig ? { kubeconfigPath: config.kube.kubeconfig } : {},
    ),
    logger,
  });
  const port = await bot.start();
  logger.info({ port, mode: config.slack.appToken ? 'socket' : 'http' }, 'bot started');

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'bot stopping');
    await bot.stop();
    await queue.close();
    connection.disconnect();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

await main();
