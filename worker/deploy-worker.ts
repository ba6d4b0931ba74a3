import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { deployRequestSchema, type DeployRequest } from '../core/domain/deploy-request.js';

export interface DeployWorkerOptions {
  connection: Redis;
  queueName: string;
  concurrency: number;
  /** Runs one deploy; throwing fails the job. */
  handle: (request: DeployRequest, job: Job) => Promise<void>;
}

/** Takes deploy jobs off the queue and hands each, parsed against the shared schema, to `handle`. */
export function createDeployWorker(options: DeployWorkerOptions): Worker {
  return new Worker(
    options.queueName,
    async (job: Job) => {
      const parsed = deployRequestSchema.safeParse(job.data);
      if (!parsed.success) {
        // A job this worker cannot read will not become readable by retrying it.
        throw new UnrecoverableError(
          `job ${job.id ?? '?'} is not a deploy request: ${parsed.error.message}`,
        );
      }
      await options.handle(parsed.data, job);
    },
    { connection: options.connection, concurrency: options.concurrency, autorun: true },
  );
}
