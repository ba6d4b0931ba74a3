import { Queue } from 'bullmq';
import { deployRequestSchema, type DeployRequest } from '../domain/deploy-request.js';
import {
  signDeployRequest,
  verifyDeployJob,
  type SignedDeployRequest,
} from '../domain/job-signature.js';
import type { DeployQueue, EnqueueOptions, EnqueueResult } from '../ports/deploy-queue.js';
import type { QueueDepth } from '../ports/metrics.js';
import { EnqueueAttempt } from './queue/enqueue-attempt.js';
import { queueKeys } from './queue/queue-keys.js';
import type { RedisClient } from './redis-connection.js';

/** Finished jobs are kept this long, and at most this many of each (whichever comes first). */
export const KEEP_JOBS = {
  completed: { age: 7 * 24 * 3600, count: 1000 },
  failed: { age: 30 * 24 * 3600, count: 1000 },
} as const;

/** How long a withdrawn job's mark is kept: longer than any job waits. */
const WITHDRAWN_MEMORY_SECONDS = 24 * 3600;

export interface BullmqDeployQueueOptions {
  /** A connection that fails fast (no offline queue), so an outage is reported, not waited out. */
  connection: RedisClient;
  queueName: string;
  /** BullMQ's key prefix (`bull`); on a Redis Cluster it carries a hash tag, e.g. `{harbormaster}`. */
  prefix?: string;
  /** The HMAC key every job is signed with (HARBORMASTER_JOB_KEY); it never goes to Redis. */
  jobKey: string;
  /** How long a job waits for its announcement before it runs anyway. */
  holdMs?: number;
  /** Connection trouble between commands (each command also fails on its own). */
  onError?: (error: Error) => void;
  /** Where a job that landed after its deadline could not be withdrawn is told. */
  onWithdrawFailed?: (error: unknown, jobId: string) => void;
}

/**
 * Deploy requests as signed BullMQ jobs. Idempotency is two claims in Redis: the request id
 * (Slack's retries repeat it) and the double-submit key (a person sending the same deploy twice
 * while the first is still queued or running); they, the person's rate and the release's queue
 * length are checked and taken in one script before the add (queue/admit-script.ts).
 */
export class BullmqDeployQueue implements DeployQueue {
  private readonly queue: Queue<SignedDeployRequest>;
  private readonly redis: RedisClient;
  private readonly holdMs: number;
  private readonly keys: ReturnType<typeof queueKeys>;

  constructor(private readonly options: BullmqDeployQueueOptions) {
    this.queue = new Queue<SignedDeployRequest>(options.queueName, {
      connection: options.connection,
      ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
    });
    if (options.onError) this.queue.on('error', options.onError);
    this.redis = options.connection;
    this.holdMs = options.holdMs ?? 10_000;
    this.keys = queueKeys(options.queueName, options.prefix);
  }

  async enqueue(request: DeployRequest, options: EnqueueOptions): Promise<EnqueueResult> {
    const data = deployRequestSchema.parse(request);
    const attempt = new EnqueueAttempt(
      { redis: this.redis, queue: this.queue, keys: this.keys, add: (job) => this.add(job) },
      data,
      options.limits,
      options.deadlineMs,
    );
    const work = attempt.run();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => {
        resolve('late');
      }, options.deadlineMs);
    });
    try {
      const result = await Promise.race([work, late]);
      if (result !== 'late') return result;
    } finally {
      clearTimeout(timer);
    }
    attempt.withdraw();
    if (attempt.addSent) {
      // Marked first, so that a worker which takes the job the moment it lands refuses it.
      this.redis
        .set(this.keys.withdrawn(data.id), '1', 'EX', WITHDRAWN_MEMORY_SECONDS)
        .catch(() => undefined);
      this.removeWhenLanded(work, attempt, data.id);
    } else {
      work.catch(() => undefined);
    }
    return { status: 'unconfirmed', jobId: data.id, mayBeQueued: attempt.addSent };
  }

  async holdWhile<T>(jobId: string, work: () => Promise<T>): Promise<T> {
    const every = Math.max(100, Math.floor(this.holdMs / 3));
    const renew = setInterval(() => void this.extendHold(jobId), every);
    try {
      return await work();
    } finally {
      clearInterval(renew);
    }
  }

  async announce(jobId: string, messageId: string | undefined): Promise<void> {
    const job = await this.queue.getJob(jobId);
    if (!job) return;
    if (messageId !== undefined) {
      // Re-signed only what this bot signed: a job changed in Redis stays refused.
      const verdict = verifyDeployJob(job.data, this.options.jobKey);
      if (!verdict.ok) return;
      const origin = { ...verdict.request.origin, message: messageId };
      await job.updateData(signDeployRequest({ ...verdict.request, origin }, this.options.jobKey));
    }
    // BullMQ refuses, changing nothing, to promote a job that is no longer delayed (its hold
    // ended, or a worker took it): then it is already free to run. One call, not a check and one.
    await job.promote().catch(() => undefined);
  }

  /** The queue's jobs by state, for the queue-depth metrics. */
  async depth(): Promise<QueueDepth> {
    const counts = await this.queue.getJobCounts('wait', 'prioritized', 'delayed', 'active');
    return {
      waiting: (counts.wait ?? 0) + (counts.prioritized ?? 0),
      delayed: counts.delayed ?? 0,
      active: counts.active ?? 0,
    };
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    await this.queue.close();
  }

  /** The hold starts again from now; a job no longer held (or gone) is left as it is. */
  private async extendHold(jobId: string): Promise<void> {
    const job = await this.queue.getJob(jobId).catch(() => undefined);
    await job?.changeDelay(this.holdMs).catch(() => undefined);
  }

  private async add(request: DeployRequest): Promise<void> {
    await this.queue.add('deploy', signDeployRequest(request, this.options.jobKey), {
      jobId: request.id,
      delay: this.holdMs,
      removeOnComplete: KEEP_JOBS.completed,
      removeOnFail: KEEP_JOBS.failed,
    });
  }

  /** A job sent but not confirmed in time: removed, and its claims freed, once it landed. */
  private removeWhenLanded(
    work: Promise<EnqueueResult>,
    attempt: EnqueueAttempt,
    jobId: string,
  ): void {
    work
      .then(async (result) => {
        if (result.status !== 'queued') return;
        await this.queue.remove(jobId);
        await attempt.rollBack();
      })
      .catch((error: unknown) => {
        this.options.onWithdrawFailed?.(error, jobId);
      });
  }
}
