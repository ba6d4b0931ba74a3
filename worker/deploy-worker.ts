import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { RedisClient } from '../core/adapters/redis-connection.js';
import { deployRequestSchema, type DeployRequest } from '../core/domain/deploy-request.js';

export interface DeployJobContext {
  job: Job;
  /** The worker's lock token for the job, e.g. to move it back to delayed. */
  token: string;
  /** Aborted when the worker is told to stop at once. */
  signal: AbortSignal;
  /** The job was started before, by a worker that stopped. */
  resumed: boolean;
}

export interface DeployWorkerOptions {
  connection: RedisClient;
  queueName: string;
  /** BullMQ's key prefix: `bull` when absent. */
  prefix?: string;
  concurrency: number;
  /** Runs one deploy; throwing fails the job (without retry: the deploy reported its own end). */
  handle: (request: DeployRequest, context: DeployJobContext) => Promise<void>;
  /** How long a job stays locked to a worker that stopped renewing it, before another takes it. */
  lockDurationMs?: number;
}

/** Takes deploy jobs off the queue and hands each, parsed against the shared schema, to `handle`. */
export function createDeployWorker(options: DeployWorkerOptions): Worker {
  const lockDuration = options.lockDurationMs ?? 30_000;
  return new Worker(
    options.queueName,
    async (job: Job, token, signal) => {
      const parsed = deployRequestSchema.safeParse(job.data);
      if (!parsed.success) {
        // A job this worker cannot read will not become readable by retrying it.
        throw new UnrecoverableError(
          `job ${job.id ?? '?'} is not a deploy request: ${parsed.error.message}`,
        );
      }
      await options.handle(parsed.data, {
        job,
        token: token ?? '',
        signal: signal ?? new AbortController().signal,
        // Moved back to wait by the stalled-job check: the worker that had it stopped.
        resumed: job.stalledCounter > 0,
      });
    },
    {
      connection: options.connection,
      ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
      concurrency: options.concurrency,
      lockDuration,
      stalledInterval: Math.max(1000, Math.floor(lockDuration / 2)),
      // A deploy that outlived two workers is failed (and its message ended) rather than tried again.
      maxStalledCount: 2,
      autorun: true,
    },
  );
}
