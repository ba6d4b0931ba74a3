import { Queue } from 'bullmq';
import type { RedisClient } from './redis-connection.js';
import { deployRequestSchema } from '../domain/deploy-request.js';
import { doubleSubmitKey } from '../domain/idempotency.js';
import type { DeployJob, DeployJobs, DeployJobState } from '../ports/deploy-jobs.js';
import { queueClaimKey } from './bullmq-deploy-queue.js';

export interface BullmqDeployJobsOptions {
  connection: RedisClient;
  queueName: string;
  /** BullMQ's key prefix, as the queue has it. */
  prefix?: string;
}

const STATES: Record<string, DeployJobState> = {
  active: 'running',
  completed: 'finished',
  failed: 'finished',
};

/** Forgets the double-submit claim a job made, if it is still that job's. */
const RELEASE_CLAIM = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** The deploy queue's jobs, read and removed through BullMQ. */
export class BullmqDeployJobs implements DeployJobs {
  private readonly queue: Queue;

  constructor(private readonly options: BullmqDeployJobsOptions) {
    this.queue = new Queue(options.queueName, {
      connection: options.connection,
      ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
    });
  }

  async find(jobId: string): Promise<DeployJob | undefined> {
    const job = await this.queue.getJob(jobId);
    if (!job) return undefined;
    const parsed = deployRequestSchema.safeParse(job.data);
    const state = await job.getState();
    if (!parsed.success || state === 'unknown') return undefined;
    return { request: parsed.data, state: STATES[state] ?? 'queued' };
  }

  async removeQueued(jobId: string): Promise<boolean> {
    const job = await this.queue.getJob(jobId);
    if (!job) return false;
    try {
      // BullMQ refuses, atomically, to remove a job a worker holds the lock of.
      await job.remove();
    } catch {
      return false;
    }
    // The same deploy may be asked for again at once: it is no longer queued.
    await this.forgetRequest(job.data, jobId);
    return true;
  }

  async forgetSubmission(jobId: string): Promise<void> {
    const job = await this.queue.getJob(jobId);
    if (job) await this.forgetRequest(job.data, jobId);
  }

  private async forgetRequest(data: unknown, jobId: string): Promise<void> {
    const parsed = deployRequestSchema.safeParse(data);
    if (!parsed.success) return;
    const key = queueClaimKey(this.options.queueName, 'submit', doubleSubmitKey(parsed.data));
    await this.options.connection.eval(RELEASE_CLAIM, 1, key, jobId);
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
