import { Queue } from 'bullmq';
import type { RedisClient } from './redis-connection.js';
import type { DeployRequest } from '../domain/deploy-request.js';
import { doubleSubmitKey } from '../domain/idempotency.js';
import { verifyDeployJob } from '../domain/job-signature.js';
import type { DeployJob, DeployJobs, DeployJobState } from '../ports/deploy-jobs.js';
import { queueKeys } from './queue/queue-keys.js';

export interface BullmqDeployJobsOptions {
  connection: RedisClient;
  queueName: string;
  /** BullMQ's key prefix, as the queue has it. */
  prefix?: string;
  /** The key jobs are signed with: a job that does not verify is none of ours to act on. */
  jobKey: string;
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
    const request = this.requestOf(job.data);
    const state = await job.getState();
    if (request === undefined || state === 'unknown') return undefined;
    return { request, state: STATES[state] ?? 'queued' };
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

  private requestOf(data: unknown): DeployRequest | undefined {
    const verdict = verifyDeployJob(data, this.options.jobKey);
    return verdict.ok ? verdict.request : undefined;
  }

  private async forgetRequest(data: unknown, jobId: string): Promise<void> {
    const request = this.requestOf(data);
    if (request === undefined) return;
    const key = queueKeys(this.options.queueName, this.options.prefix).submit(
      doubleSubmitKey(request),
    );
    await this.options.connection.eval(RELEASE_CLAIM, 1, key, jobId);
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
