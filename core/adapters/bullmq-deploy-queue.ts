import { Queue } from 'bullmq';
import { deployRequestSchema, type DeployRequest } from '../domain/deploy-request.js';
import {
  DOUBLE_SUBMIT_WINDOW_SECONDS,
  doubleSubmitKey,
  REQUEST_ID_MEMORY_SECONDS,
} from '../domain/idempotency.js';
import type { DeployQueue, EnqueueResult } from '../ports/deploy-queue.js';
import type { QueueDepth } from '../ports/metrics.js';
import type { RedisClient } from './redis-connection.js';

export interface BullmqDeployQueueOptions {
  /** A connection that fails fast (no offline queue), so an outage is reported, not waited out. */
  connection: RedisClient;
  queueName: string;
  /** BullMQ's key prefix (`bull`); on a Redis Cluster it carries a hash tag, e.g. `{harbormaster}`. */
  prefix?: string;
  /** How long a job waits for its announcement before it runs anyway. */
  holdMs?: number;
  /** Connection trouble between commands (each command also fails on its own). */
  onError?: (error: Error) => void;
}

/** The Redis key of one of the queue's claims: `request` ids and `submit` double-submit keys. */
export function queueClaimKey(queueName: string, kind: 'request' | 'submit', id: string): string {
  return `harbormaster:${queueName}:${kind}:${id}`;
}

/** Hands a double-submit claim from a job that has ended to a new one, unless someone else did first. */
const TAKE_OVER_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('set', KEYS[1], ARGV[2], 'EX', ARGV[3]) else return false end`;

/**
 * A job in one of these states has ended: the same deploy again is a new one. (Not 'unknown': a
 * claim is taken before its job is added, so a job not there yet is one about to be queued.)
 */
const ENDED_STATES: ReadonlySet<string> = new Set(['completed', 'failed']);

interface Claim {
  key: string;
  seconds: number;
  /** The double-submit claim passes to a new job once the job holding it has ended. */
  whileQueued: boolean;
}

/**
 * Deploy requests as BullMQ jobs. Idempotency is two SET NX claims in Redis: the request id
 * (Slack's retries repeat it) and the double-submit key (a person sending the same deploy twice
 * while the first is still queued or running).
 */
export class BullmqDeployQueue implements DeployQueue {
  private readonly queue: Queue<DeployRequest>;
  private readonly redis: RedisClient;
  private readonly holdMs: number;

  constructor(private readonly options: BullmqDeployQueueOptions) {
    this.queue = new Queue<DeployRequest>(options.queueName, {
      connection: options.connection,
      ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
    });
    if (options.onError) this.queue.on('error', options.onError);
    this.redis = options.connection;
    this.holdMs = options.holdMs ?? 10_000;
  }

  async enqueue(request: DeployRequest): Promise<EnqueueResult> {
    const data = deployRequestSchema.parse(request);
    const claims: Claim[] = [
      { key: this.key('request', data.id), seconds: REQUEST_ID_MEMORY_SECONDS, whileQueued: false },
      {
        key: this.key('submit', doubleSubmitKey(data)),
        seconds: DOUBLE_SUBMIT_WINDOW_SECONDS,
        whileQueued: true,
      },
    ];
    const taken: string[] = [];
    for (const claim of claims) {
      const holder = await this.claim(claim, data.id);
      if (holder !== undefined) {
        await this.release(taken);
        return { status: 'duplicate', jobId: holder };
      }
      taken.push(claim.key);
    }
    try {
      await this.queue.add('deploy', data, {
        jobId: data.id,
        delay: this.holdMs,
        removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
        removeOnFail: { age: 30 * 24 * 3600 },
      });
    } catch (error) {
      // Nothing was queued, so the same command may be tried again at once.
      await this.release(taken).catch(() => undefined);
      throw error;
    }
    return { status: 'queued', jobId: data.id };
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
      await job.updateData({ ...job.data, origin: { ...job.data.origin, message: messageId } });
    }
    if (await job.isDelayed()) {
      // The hold may end between the check and the promote; then the job is already free to run.
      await job.promote().catch(() => undefined);
    }
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

  /** Takes the claim for `jobId`; answers the job that holds it instead, if any. */
  private async claim(claim: Claim, jobId: string): Promise<string | undefined> {
    const won = await this.redis.set(claim.key, jobId, 'EX', claim.seconds, 'NX');
    if (won !== null) return undefined;
    const holder = await this.redis.get(claim.key);
    // Lapsed between the two commands: try once more.
    if (holder === null) return this.claim(claim, jobId);
    if (!claim.whileQueued || !ENDED_STATES.has(await this.queue.getJobState(holder)))
      return holder;
    const takenOver = await this.redis.eval(
      TAKE_OVER_SCRIPT,
      1,
      claim.key,
      holder,
      jobId,
      String(claim.seconds),
    );
    // Another submission took it over first: this one is its double.
    return takenOver === null ? this.claim(claim, jobId) : undefined;
  }

  private key(kind: 'request' | 'submit', id: string): string {
    return queueClaimKey(this.options.queueName, kind, id);
  }

  private async release(keys: string[]): Promise<void> {
    // One DEL each: on a Redis Cluster the two claims may live in different slots.
    for (const key of keys) await this.redis.del(key);
  }
}
