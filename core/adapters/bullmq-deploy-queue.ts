import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { deployRequestSchema, type DeployRequest } from '../domain/deploy-request.js';
import {
  DOUBLE_SUBMIT_WINDOW_SECONDS,
  doubleSubmitKey,
  REQUEST_ID_MEMORY_SECONDS,
} from '../domain/idempotency.js';
import type { DeployQueue, EnqueueResult } from '../ports/deploy-queue.js';

export interface BullmqDeployQueueOptions {
  /** A connection that fails fast (no offline queue), so an outage is reported, not waited out. */
  connection: Redis;
  queueName: string;
  /** How long a job waits for its announcement before it runs anyway. */
  holdMs?: number;
  /** Connection trouble between commands (each command also fails on its own). */
  onError?: (error: Error) => void;
}

/** The Redis key of one of the queue's claims: `request` ids and `submit` double-submit keys. */
export function queueClaimKey(queueName: string, kind: 'request' | 'submit', id: string): string {
  return `harbormaster:${queueName}:${kind}:${id}`;
}

/**
 * Deploy requests as BullMQ jobs. Idempotency is two SET NX claims in Redis: the request id
 * (Slack's retries repeat it) and the double-submit key (a person sending the same deploy twice).
 */
export class BullmqDeployQueue implements DeployQueue {
  private readonly queue: Queue<DeployRequest>;
  private readonly redis: Redis;
  private readonly holdMs: number;

  constructor(private readonly options: BullmqDeployQueueOptions) {
    this.queue = new Queue<DeployRequest>(options.queueName, { connection: options.connection });
    if (options.onError) this.queue.on('error', options.onError);
    this.redis = options.connection;
    this.holdMs = options.holdMs ?? 10_000;
  }

  async enqueue(request: DeployRequest): Promise<EnqueueResult> {
    const data = deployRequestSchema.parse(request);
    const claims = [
      { key: this.key('request', data.id), seconds: REQUEST_ID_MEMORY_SECONDS },
      { key: this.key('submit', doubleSubmitKey(data)), seconds: DOUBLE_SUBMIT_WINDOW_SECONDS },
    ];
    const taken: string[] = [];
    for (const claim of claims) {
      const won = await this.redis.set(claim.key, data.id, 'EX', claim.seconds, 'NX');
      if (won === null) {
        await this.release(taken);
        const holder = await this.redis.get(claim.key);
        return { status: 'duplicate', jobId: holder ?? data.id };
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

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    await this.queue.close();
  }

  private key(kind: 'request' | 'submit', id: string): string {
    return queueClaimKey(this.options.queueName, kind, id);
  }

  private async release(keys: string[]): Promise<void> {
    if (keys.length > 0) await this.redis.del(...keys);
  }
}
