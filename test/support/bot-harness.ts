import { join } from 'node:path';
import { Queue, type Job } from 'bullmq';
import { Writable } from 'node:stream';
import { createBot, type Bot } from '../../bot/app.js';
import { healthRoutes } from '../../core/adapters/health-endpoints.js';
import { BullmqDeployQueue } from '../../core/adapters/bullmq-deploy-queue.js';
import { KubernetesCluster } from '../../core/adapters/kubernetes-cluster.js';
import { createBrakeAdapters } from '../../core/adapters/redis-brakes.js';
import { PrometheusMetrics } from '../../core/adapters/prometheus-metrics.js';
import { createRedisConnection } from '../../core/adapters/redis-connection.js';
import { SlackChat } from '../../core/adapters/slack/slack-chat.js';
import { SlackDirectory } from '../../core/adapters/slack/slack-directory.js';
import { SlackMembership } from '../../core/adapters/slack/slack-membership.js';
import { loadConfig, type Config } from '../../core/config.js';
import type { DeployRequest } from '../../core/domain/deploy-request.js';
import { createLogger, type Logger } from '../../core/logger.js';
import {
  startKubeApiDouble,
  type KubeApiDouble,
  type KubeApiDoubleOptions,
} from './kube-api/index.js';
import { TEST_JOB_KEY } from './job-key.js';
import { repoRoot } from './paths.js';
import { startSlackDouble, type SlackDouble, type SlackInboundClient } from './slack/index.js';
import { uniqueName } from './test-env.js';

export const PEOPLE = {
  alice: { id: 'U0ALICE', name: 'alice' },
  bob: { id: 'U0BOB', name: 'bob' },
  releaser: { id: 'U0RELEASER', name: 'rita' },
} as const;
export const DEPLOYERS_GROUP = { id: 'S0DEPLOYERS', handle: 'deployers' };
export const CHANNEL = { id: 'C0DEPLOYS', name: 'deploys' };

export interface BotHarness {
  config: Config;
  /** The environment the configuration was read from, for starting a process with the same. */
  env: Record<string, string>;
  slack: SlackDouble;
  kube: KubeApiDouble;
  inbound: SlackInboundClient;
  bot: Bot;
  /** The bot's HTTP port: /healthz, /readyz, and /slack/events in HTTP mode. */
  port: number;
  queueName: string;
  /** What the bot's GET /metrics serves. */
  metrics: PrometheusMetrics;
  logs: string[];
  logger: Logger;
  /** Every job on the queue, in any state. */
  jobs(): Promise<Job<DeployRequest>[]>;
  job(id: string): Promise<Job<DeployRequest> | undefined>;
  stop(): Promise<void>;
}

/**
 * The real Bolt app over real HTTP, on a real Redis, with the Slack and Kubernetes doubles:
 * what a team's workspace looks like to the bot.
 */
export async function startBotHarness(options: {
  redisUrl: string;
  catalog?: string;
  /** More environment for loadConfig, e.g. HELM_BIN and DOCKER_HOST for a worker. */
  env?: Record<string, string>;
  /** How the Kubernetes double runs pods (back-off, probe time scale). */
  kube?: KubeApiDoubleOptions;
  /**
   * Socket Mode, the manifest's default: the bot connects to the double's WebSocket with an
   * app-level token, and `inbound` sends envelopes over it. HTTP mode (signed requests) otherwise.
   */
  socketMode?: boolean;
  /** The queue (and the namespace of every Redis key): given to pick up where another left off. */
  queueName?: string;
}): Promise<BotHarness> {
  const signingSecret = `secret-${uniqueName('s')}`;
  const botToken = 'xoxb-harbormaster-test';
  const socketMode = options.socketMode ?? false;
  const slack = await startSlackDouble({ botToken, signingSecret });
  for (const person of Object.values(PEOPLE)) slack.addUser(person);
  slack.addUserGroup({ ...DEPLOYERS_GROUP, users: [PEOPLE.bob.id] });
  slack.addChannel(CHANNEL);
  const kube = await startKubeApiDouble(options.kube);

  const queueName = options.queueName ?? uniqueName('bot-deploys');
  const env: Record<string, string> = {
    SLACK_BOT_TOKEN: botToken,
    ...(socketMode ? { SLACK_APP_TOKEN: slack.appToken } : { SLACK_SIGNING_SECRET: signingSecret }),
    SLACK_API_URL: slack.apiUrl,
    REDIS_URL: options.redisUrl,
    HARBORMASTER_QUEUE: queueName,
    KUBECONFIG: kube.kubeconfigPath,
    HARBORMASTER_CONFIG:
      options.catalog ?? join(repoRoot, 'test', 'fixtures', 'catalogs', 'two-environments.yaml'),
    LOG_LEVEL: 'info',
    HARBORMASTER_JOB_KEY: TEST_JOB_KEY,
    ...options.env,
  };
  const config = loadConfig(env);
  const logs: string[] = [];
  const logger = createLogger({
    name: 'bot-test',
    level: 'info',
    destination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(chunk.toString());
        done();
      },
    }),
  });
  const connection = createRedisConnection(config.redis.url, { blocking: false });
  connection.on('error', () => undefined);
  const queue = new BullmqDeployQueue({
    connection,
    queueName,
    jobKey: config.jobs.key,
    prefix: config.queue.prefix,
    onError: (error) => {
      logs.push(`queue error: ${error.message}`);
    },
  });
  // As bot/main.ts wires them.
  const metrics = new PrometheusMetrics({ queue: { name: queueName, depth: () => queue.depth() } });
  const chat = new SlackChat({ token: botToken, slackApiUrl: slack.apiUrl, logger, metrics });
  const brakes = createBrakeAdapters({
    connection,
    queueName,
    prefix: config.queue.prefix,
    jobKey: config.jobs.key,
    ...config.brakes,
  });
  if (!config.slack) throw new Error('the bot harness sets a Slack token');
  const bot = createBot(
    config.slack,
    0,
    {
      catalog: config.catalog,
      queue,
      ...brakes,
      chat,
      directory: new SlackDirectory({ client: chat.client }),
      cluster: new KubernetesCluster({ kubeconfigPath: kube.kubeconfigPath }),
      logger,
    },
    [...healthRoutes({ redis: () => queue.ping() }), metrics.route()],
    { membership: new SlackMembership({ client: chat.client }) },
  );
  const port = await bot.start();
  const inbound = socketMode
    ? slack.socketMode()
    : slack.inbound({ requestUrl: `http://127.0.0.1:${port}/slack/events` });

  const inspectorConnection = createRedisConnection(config.redis.url, { blocking: false });
  inspectorConnection.on('error', () => undefined);
  // BullMQ holds a queue's commands, without limit, until its connection has once been ready. A
  // test that stops Redis right after start-up would then wait for ever in stop(); the inspector
  // goes straight to the connection instead, which fails fast while Redis is down.
  const inspector = new Queue<DeployRequest>(queueName, {
    connection: inspectorConnection,
    prefix: config.queue.prefix,
    skipWaitingForReady: true,
    skipVersionCheck: true,
  });
  inspector.on('error', (error) => {
    logs.push(`inspector error: ${error.message}`);
  });

  return {
    config,
    env,
    slack,
    kube,
    inbound,
    bot,
    port,
    queueName,
    metrics,
    logs,
    logger,
    jobs: () =>
      inspector.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized']),
    job: async (id) => (await inspector.getJob(id)) ?? undefined,
    async stop() {
      await bot.stop();
      // Bolt's Socket Mode stop() does not wait for its connection's close handshake.
      if (socketMode) await slack.sockets.waitForAllClosed();
      await queue.close();
      await brakes.close();
      await inspector.obliterate({ force: true }).catch(() => undefined);
      await inspector.close();
      connection.disconnect();
      inspectorConnection.disconnect();
      await slack.stop();
      await kube.stop();
    },
  };
}
