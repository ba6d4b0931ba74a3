import { DeployError } from '../../../core/domain/deploy-error.js';
import type { DeployRequest } from '../../../core/domain/deploy-request.js';
import { doubleSubmitKey } from '../../../core/domain/idempotency.js';
import type { DeployQueue, EnqueueResult } from '../../../core/ports/deploy-queue.js';

/** The deploy queue in memory: one job per request id and per double-submit key. */
export class FakeDeployQueue implements DeployQueue {
  readonly jobs = new Map<string, { request: DeployRequest; released: boolean }>();
  private readonly submitted = new Map<string, string>();
  /** While true, every call fails as an unreachable Redis would. */
  down = false;

  enqueue(request: DeployRequest): Promise<EnqueueResult> {
    if (this.down) return Promise.reject(new DeployError('QUEUE_UNAVAILABLE', 'Redis is down'));
    if (this.jobs.has(request.id))
      return Promise.resolve({ status: 'duplicate', jobId: request.id });
    const earlier = this.submitted.get(doubleSubmitKey(request));
    if (earlier !== undefined) return Promise.resolve({ status: 'duplicate', jobId: earlier });
    this.submitted.set(doubleSubmitKey(request), request.id);
    this.jobs.set(request.id, { request, released: false });
    return Promise.resolve({ status: 'queued', jobId: request.id });
  }

  /** Jobs held for a post in progress right now. */
  readonly heldWhile = new Set<string>();

  async holdWhile<T>(jobId: string, work: () => Promise<T>): Promise<T> {
    this.heldWhile.add(jobId);
    try {
      return await work();
    } finally {
      this.heldWhile.delete(jobId);
    }
  }

  announce(jobId: string, messageId: string | undefined): Promise<void> {
    if (this.down) return Promise.reject(new DeployError('QUEUE_UNAVAILABLE', 'Redis is down'));
    const job = this.jobs.get(jobId);
    if (job === undefined) return Promise.resolve();
    const origin =
      messageId === undefined ? job.request.origin : { ...job.request.origin, message: messageId };
    this.jobs.set(jobId, { request: { ...job.request, origin }, released: true });
    return Promise.resolve();
  }

  ping(): Promise<void> {
    return this.down ? Promise.reject(new Error('Redis is down')) : Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
