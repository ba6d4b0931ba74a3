import { startWorker, type RunningWorker } from '../../worker/start-worker.js';
import { startBotHarness, CHANNEL, type BotHarness } from './bot-harness.js';
import { ALERTS_CHANNEL, TINY_FIXTURE, writeE2eCatalog } from './e2e-catalog.js';
import { testEnv } from './test-env.js';

export { ALERTS_CHANNEL, TINY_FIXTURE };

export interface DeployHarness extends BotHarness {
  namespace: string;
  /** Each service's own copy of the tiny fixture, to change between deploys. */
  sources: Record<string, string>;
  /** The in-process workers started so far. */
  workers: RunningWorker[];
  /** Starts another in-process worker on the same queue. */
  startAnotherWorker(): RunningWorker;
  stopAll(): Promise<void>;
}

/**
 * Everything real but Slack and Kubernetes: the bot and a worker on a real Redis, building with
 * the real Docker Engine, pushing to a real registry, installing with the real helm into the
 * Kubernetes double. Each service is a copy of the tiny fixture deployed with chart/hello-world.
 */
export async function startDeployHarness(
  services: string[],
  options: {
    inProcessWorker?: boolean;
    /** More catalog services, as harbormaster.yaml has them (absolute paths). */
    catalogServices?: Record<string, object>;
    /** The bot in Socket Mode instead of HTTP mode. */
    socketMode?: boolean;
    /** The in-process workers' job lock: how soon a dead worker's deploy is resumed (30 s). */
    lockDurationMs?: number;
    /** Another Redis than the test run's, and a queue name to resume another harness's. */
    redisUrl?: string;
    queueName?: string;
    /** Helm values every tiny service gets in staging, e.g. `{ replicaCount: 1 }`. */
    values?: object;
    /** Who may deploy to staging, as the catalog says it (everyone, unless given). */
    deployers?: object;
    /** The catalog's `limits`, e.g. `{ deploysPerPersonPerMinute: 20 }`. */
    limits?: object;
  } = {},
): Promise<DeployHarness> {
  const inProcessWorker = options.inProcessWorker ?? true;
  const { catalogFile, namespace, sources } = writeE2eCatalog(services, options);

  const harness = await startBotHarness({
    redisUrl: options.redisUrl ?? testEnv().redisUrl,
    ...(options.queueName === undefined ? {} : { queueName: options.queueName }),
    catalog: catalogFile,
    ...(options.socketMode === undefined ? {} : { socketMode: options.socketMode }),
    env: {
      HELM_BIN: testEnv().helmBin,
      DOCKER_HOST: testEnv().dockerHost,
      DOCKER_BUILD_NETWORK: 'host',
      REGISTRY_USERNAME: 'unused',
      REGISTRY_PASSWORD: testEnv().authRegistry.password,
      WORKER_CONCURRENCY: '2',
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/root',
    },
    // Pods really run: readiness probes every second rather than every five, and a crash loop's
    // or a failed pull's back-off starts at one second.
    kube: { backOffMs: 1000, probeTimeScale: 0.2 },
  });
  harness.slack.addChannel(ALERTS_CHANNEL);
  const tuning = {
    tuning: {
      progressIntervalMs: 200,
      pushBackoffMs: 100,
      // Pods really start: on a busy machine, pulling, starting and probing them takes a while.
      timeouts: { verify: 120_000 },
      // The product's own job lock: a busy machine can stall a test process for seconds, and a
      // shorter lock would then run a deploy twice. Tests of a worker's death ask for a short one.
      lockDurationMs: options.lockDurationMs ?? 30_000,
    },
  };
  const workers: RunningWorker[] = inProcessWorker
    ? [startWorker(harness.config, harness.logger, tuning)]
    : [];
  return {
    ...harness,
    namespace,
    sources,
    workers,
    startAnotherWorker() {
      const another = startWorker(harness.config, harness.logger, tuning);
      workers.push(another);
      return another;
    },
    async stopAll() {
      await Promise.all(workers.map((worker) => worker.stop(5000)));
      await harness.stop();
    },
  };
}

export { CHANNEL };
