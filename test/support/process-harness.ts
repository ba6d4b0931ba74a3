import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Queue, type Job } from 'bullmq';
import { createRedisConnection } from '../../core/adapters/redis-connection.js';
import type { DeployRequest } from '../../core/domain/deploy-request.js';
import { CHANNEL, DEPLOYERS_GROUP, PEOPLE } from './bot-harness.js';
import { ALERTS_CHANNEL, writeE2eCatalog, type E2eCatalogOptions } from './e2e-catalog.js';
import { freePort } from './free-port.js';
import { startKubeApiDouble, type KubeApiDouble } from './kube-api/index.js';
import { startProcess, type ManagedProcess } from './managed-process.js';
import { repoRoot } from './paths.js';
import { startSlackDouble, type SlackDouble, type SlackInboundClient } from './slack/index.js';
import { testEnv, uniqueName } from './test-env.js';
import { TEST_JOB_KEY } from './job-key.js';

/** Someone in the workspace who is not in the deployers' user group. */
export const OUTSIDER = { id: 'U0OUTSIDER', name: 'oscar' };
/** The person at the console, as HARBORMASTER_CONSOLE_USER(_ID) name them. */
export const CONSOLE_PERSON = { id: 'U0CONSOLE', name: 'you' };

export interface ProcessHarness {
  kube: KubeApiDouble;
  namespace: string;
  sources: Record<string, string>;
  /** The bot's port: /healthz, /readyz, /slack/events, and the console. */
  port: number;
  /** Both processes' output so far. */
  logs(): string;
  /** Every job of the queue, in whatever state. */
  jobs(): Promise<Job<DeployRequest>[]>;
  job(id: string): Promise<Job<DeployRequest> | undefined>;
  /** Stops both processes (SIGTERM), runs `between` (e.g. a Redis restart), starts them again. */
  restart(between?: () => Promise<void>): Promise<void>;
  stopAll(): Promise<void>;
}

/** The processes with a Slack workspace (HTTP mode). */
export interface SlackProcessHarness extends ProcessHarness {
  slack: SlackDouble;
  /** Slack's requests to the bot. */
  inbound: SlackInboundClient;
}

/** The environment both processes read, as a person would set it. */
function baseEnv(options: {
  catalogFile: string;
  kube: KubeApiDouble;
  queueName: string;
  testGateOnHostNetwork?: boolean;
  redisUrl?: string;
}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    REDIS_URL: options.redisUrl ?? testEnv().redisUrl,
    HARBORMASTER_QUEUE: options.queueName,
    HARBORMASTER_JOB_KEY: TEST_JOB_KEY,
    HARBORMASTER_CONFIG: options.catalogFile,
    KUBECONFIG: options.kube.kubeconfigPath,
    HELM_BIN: testEnv().helmBin,
    DOCKER_HOST: testEnv().dockerHost,
    DOCKER_BUILD_NETWORK: 'host',
    ...(options.testGateOnHostNetwork ? { DOCKER_TEST_NETWORK: 'host' } : {}),
    REGISTRY_USERNAME: 'unused',
    REGISTRY_PASSWORD: testEnv().authRegistry.password,
    LOG_LEVEL: 'info',
  };
}

async function slackWorkspace(): Promise<{ slack: SlackDouble; env: NodeJS.ProcessEnv }> {
  const signingSecret = `secret-${uniqueName('s')}`;
  const botToken = 'xoxb-harbormaster-process-test';
  const slack = await startSlackDouble({ botToken, signingSecret });
  for (const person of [...Object.values(PEOPLE), OUTSIDER]) slack.addUser(person);
  slack.addUserGroup({
    ...DEPLOYERS_GROUP,
    users: [PEOPLE.alice.id, PEOPLE.bob.id, PEOPLE.releaser.id],
  });
  slack.addChannel(CHANNEL);
  slack.addChannel(ALERTS_CHANNEL);
  return {
    slack,
    env: {
      SLACK_BOT_TOKEN: botToken,
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: slack.apiUrl,
    },
  };
}

/** `npm run bot` or `npm run worker`: the TypeScript entry point, run by tsx, until it is ready. */
async function spawnEntryPoint(
  name: 'bot' | 'worker',
  env: NodeJS.ProcessEnv,
  port: number,
  logFile: string,
): Promise<ManagedProcess> {
  return startProcess({
    name,
    command: process.execPath,
    args: ['--import', 'tsx', join(repoRoot, name, 'main.ts')],
    cwd: repoRoot,
    env,
    logFile,
    ready: async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok,
    timeoutMs: 60_000,
  });
}

/**
 * The bot and the worker as a person runs them: two processes started from their entry points,
 * configured only through the environment, on a real Redis, Docker Engine, registry and helm,
 * with the Slack (HTTP mode) or the console surface, and the Kubernetes double. The catalog's one
 * environment lets the deployers' user group deploy (Slack), or the console's person.
 */
async function startProcesses(
  services: string[],
  options: ProcessOptions & { workspace?: Awaited<ReturnType<typeof slackWorkspace>> },
): Promise<ProcessHarness> {
  const { workspace } = options;
  const catalog = writeE2eCatalog(services, options);
  const kube = await startKubeApiDouble({ backOffMs: 1000, probeTimeScale: 0.2 });
  const queueName = uniqueName('process-deploys');
  const env = {
    ...baseEnv({
      catalogFile: catalog.catalogFile,
      kube,
      queueName,
      ...(options.testGateOnHostNetwork ? { testGateOnHostNetwork: true } : {}),
      ...(options.redisUrl === undefined ? {} : { redisUrl: options.redisUrl }),
    }),
    ...workspace?.env,
  };
  const [port, workerPort] = [await freePort(), await freePort()];
  const logFiles = { bot: join(catalog.dir, 'bot.log'), worker: join(catalog.dir, 'worker.log') };
  const started: ManagedProcess[] = [];
  const stopAll = async () => {
    await Promise.all(started.map((child) => child.stop()));
    await inspector.close();
    connection.disconnect();
    await workspace?.slack.stop();
    await kube.stop();
    rmSync(catalog.dir, { recursive: true, force: true });
  };
  const connection = createRedisConnection(options.redisUrl ?? testEnv().redisUrl, {
    blocking: false,
  });
  const inspector = new Queue<DeployRequest>(queueName, { connection });
  const spawnBoth = async () => {
    started.push(
      await spawnEntryPoint(
        'worker',
        { ...env, WORKER_PORT: String(workerPort) },
        workerPort,
        logFiles.worker,
      ),
      await spawnEntryPoint(
        'bot',
        {
          ...env,
          PORT: String(port),
          HARBORMASTER_CONSOLE_USER: CONSOLE_PERSON.name,
          HARBORMASTER_CONSOLE_USER_ID: CONSOLE_PERSON.id,
        },
        port,
        logFiles.bot,
      ),
    );
  };
  try {
    await spawnBoth();
  } catch (error) {
    await stopAll();
    throw error;
  }
  return {
    kube,
    namespace: catalog.namespace,
    sources: catalog.sources,
    port,
    logs: () =>
      Object.values(logFiles)
        .map((file) => readFileSync(file, 'utf8'))
        .join(''),
    jobs: () =>
      inspector.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized']),
    job: async (id) => (await inspector.getJob(id)) ?? undefined,
    async restart(between) {
      await Promise.all(started.splice(0).map((child) => child.stop()));
      await between?.();
      await spawnBoth();
    },
    async stopAll() {
      await inspector.obliterate({ force: true }).catch(() => undefined);
      await stopAll();
    },
  };
}

/** Settings of the processes beyond the catalog's. */
export interface ProcessOptions extends E2eCatalogOptions {
  /** The test gate's sandbox on the host's network, so that a test can reach 127.0.0.1. */
  testGateOnHostNetwork?: boolean;
  /** Another Redis than the test run's, e.g. one the test restarts. */
  redisUrl?: string;
}

/** The processes as a team runs them with Slack: deployers are the catalog's user group. */
export async function startSlackProcesses(
  services: string[],
  options: ProcessOptions = {},
): Promise<SlackProcessHarness> {
  const workspace = await slackWorkspace();
  const harness = await startProcesses(services, {
    deployers: { userGroups: [DEPLOYERS_GROUP.id] },
    ...options,
    workspace,
  });
  const inbound = workspace.slack.inbound({
    requestUrl: `http://127.0.0.1:${harness.port}/slack/events`,
  });
  return { ...harness, slack: workspace.slack, inbound };
}

/** The processes with no Slack token at all: the web console is the chat surface. */
export async function startConsoleProcesses(
  services: string[],
  options: E2eCatalogOptions = {},
): Promise<ProcessHarness> {
  return startProcesses(services, { deployers: { users: [CONSOLE_PERSON.id] }, ...options });
}
