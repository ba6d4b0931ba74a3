import type { Worker } from 'bullmq';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBrakeAdapters } from '../core/adapters/redis-brakes.js';
import { BullmqDeployQueue } from '../core/adapters/bullmq-deploy-queue.js';
import { isWithdrawn } from '../core/adapters/queue/queue-keys.js';
import type { ReadinessChecks } from '../core/adapters/health-endpoints.js';
import { PrometheusMetrics } from '../core/adapters/prometheus-metrics.js';
import { createRedisConnection, type RedisClient } from '../core/adapters/redis-connection.js';
import type { Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import { systemClock, type Clock } from '../core/ports/clock.js';
import { chatFor } from './chat-for.js';
import { reminderCheckEvery, startLockReminders } from './lock-reminders.js';
import { endIfAbandoned, handleDeployJob, refuseDeployJob } from './deploy-job.js';
import { createDeployWorker } from './deploy-worker.js';
import { LazyInfrastructure } from './lazy-infrastructure.js';
import {
  deployDependencies,
  type DeployTuning,
  type StagePortsOverride,
} from './worker-dependencies.js';

export interface RunningWorker {
  worker: Worker;
  /** What /readyz asks: Redis answers, and the worker is taking jobs. */
  readiness: ReadinessChecks;
  /** What GET /metrics serves: this worker's deploys, the queue's depth, its Slack calls. */
  metrics: PrometheusMetrics;
  /** The queue, read-only, for the metrics and the dashboard. */
  queue: BullmqDeployQueue;
  /** Stops taking jobs; running deploys get `graceMs` to finish, then are handed back. */
  stop(graceMs: number): Promise<void>;
}

export interface WorkerSettings {
  /** Overrides for tests: shorter stage timeouts, faster progress updates, a short job lock. */
  tuning?: DeployTuning & { lockDurationMs?: number };
  /** Node's process metrics too (the process's own: not for in-process test workers). */
  processMetrics?: boolean;
  /** The lock reminders' clock (the system's by default). */
  clock?: Clock;
  /** Stage ports instead of the real ones (bench/instant-worker.ts: the orchestration alone). */
  stagePorts?: StagePortsOverride;
}

/** Closes the worker, giving running deploys `graceMs` before handing them back. */
async function closeWithin(worker: Worker, graceMs: number, logger: Logger): Promise<void> {
  const patience = new AbortController();
  const finished = await Promise.race([
    worker.close().then(() => true),
    sleep(graceMs, false, { signal: patience.signal }).catch(() => false),
  ]);
  patience.abort();
  if (!finished) {
    logger.warn('running deploys handed back: another worker resumes them');
    await worker.close(true);
  }
}

/** A connection that waits out an outage, its errors logged. */
function connect(config: Config, logger: Logger): RedisClient {
  const { url, tlsCaFile } = config.redis;
  const connection = createRedisConnection(url, { blocking: true, tlsCaFile });
  connection.on('error', (error: Error) => {
    logger.warn({ err: error }, 'redis connection error');
  });
  return connection;
}

/** The brakes' adapters, and the reminders of old locks (stopped with the adapters). */
function startBrakes(config: Config, logger: Logger, redis: RedisClient, clock: Clock) {
  const { close, ...brakes } = createBrakeAdapters({
    connection: redis,
    queueName: config.queue.name,
    prefix: config.queue.prefix,
    jobKey: config.jobs.key,
    ...config.brakes,
  });
  const chat = chatFor(config, logger, redis);
  const stopReminders = startLockReminders({
    locks: brakes.locks,
    chatFor: (lock) => chat(lock.workspace === undefined ? {} : { workspace: lock.workspace }).chat,
    reminderAfterMs: config.brakes.lockReminderMs,
    everyMs: reminderCheckEvery(config.brakes.lockReminderMs),
    clock,
    logger,
  });
  return {
    ...brakes,
    close: async () => {
      stopReminders();
      await close();
    },
  };
}

/** What /readyz asks: Redis answers, and the worker is taking jobs. */
function readinessOf(redis: RedisClient, worker: Worker): ReadinessChecks {
  return {
    redis: () => redis.ping(),
    worker: async () => {
      if (!worker.isRunning()) throw new Error('the worker is not taking jobs');
      return Promise.resolve();
    },
  };
}

/** Wires the real adapters from the configuration and starts taking deploy jobs. */
export function startWorker(
  config: Config,
  logger: Logger,
  settings: WorkerSettings = {},
): RunningWorker {
  const [blocking, commands] = [connect(config, logger), connect(config, logger)];
  const { name: queueName, prefix } = config.queue;
  const queue = new BullmqDeployQueue({
    connection: commands,
    queueName,
    prefix,
    jobKey: config.jobs.key,
  });
  const metrics = new PrometheusMetrics({
    queue: { name: queueName, depth: () => queue.depth() },
    processMetrics: settings.processMetrics ?? false,
  });
  const { lockDurationMs, ...tuning } = settings.tuning ?? {};
  const brakes = startBrakes(config, logger, commands, settings.clock ?? systemClock);
  const infrastructure = new LazyInfrastructure(config.kube.kubeconfig, logger);
  const ports = { brakes, infrastructure, tuning, metrics, stagePorts: settings.stagePorts ?? {} };
  const depsFor = deployDependencies(config, logger, commands, ports);
  const worker = createDeployWorker({
    connection: blocking,
    queueName,
    prefix,
    concurrency: config.worker.concurrency,
    jobKey: config.jobs.key,
    isWithdrawn: (jobId) => isWithdrawn(commands, config.queue.name, jobId),
    lockDurationMs: lockDurationMs ?? config.worker.lockDurationMs,
    handle: (request, context) =>
      infrastructure.ready().then(() => handleDeployJob(request, context, depsFor(request))),
    onRefused: (job, refused) => refuseDeployJob(job, refused, depsFor),
  });
  worker.on('failed', (job) => {
    if (job) endIfAbandoned(job, config.jobs.key, depsFor, logger);
  });
  worker.on('error', (error) => {
    logger.error({ err: error }, 'worker error');
  });
  logger.info({ queue: queueName, concurrency: config.worker.concurrency }, 'worker started');
  return {
    worker,
    metrics,
    queue,
    readiness: readinessOf(commands, worker),
    async stop(graceMs) {
      await closeWithin(worker, graceMs, logger);
      await brakes.close();
      await queue.close();
      blocking.disconnect();
      commands.disconnect();
    },
  };
}
