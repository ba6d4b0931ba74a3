import type { Queue } from 'bullmq';
import { deployRequestSchema, type DeployRequest } from '../../domain/deploy-request.js';
import {
  DOUBLE_SUBMIT_WINDOW_SECONDS,
  doubleSubmitKey,
  REQUEST_ID_MEMORY_SECONDS,
} from '../../domain/idempotency.js';
import { SIGNATURE_FIELD, type SignedDeployRequest } from '../../domain/job-signature.js';
import type { EnqueueLimits, EnqueueResult } from '../../ports/deploy-queue.js';
import type { RedisClient } from '../redis-connection.js';
import { admit, undoAdmission, type AdmitKeys } from './admit-script.js';
import type { queueKeys } from './queue-keys.js';

/** BullMQ's keys the admission reads a job's state from, in the order it takes them. */
const STATE_KEYS = [
  'completed',
  'failed',
  'delayed',
  'prioritized',
  'wait',
  'paused',
  'waiting-children',
];

/**
 * How long a place taken in a release's queue is held for a job not yet in Redis. The add is sent
 * at once and the attempt is withdrawn at its deadline, so this only needs to outlast both; a bot
 * that died in between frees the place when it lapses.
 */
const PENDING_MARGIN_MS = 5000;

class Withdrawn extends Error {}

export interface AttemptParts {
  redis: RedisClient;
  queue: Queue<SignedDeployRequest>;
  keys: ReturnType<typeof queueKeys>;
  add: (request: DeployRequest) => Promise<void>;
}

/**
 * One request's way onto the queue in two round trips: one script takes the request-id and
 * double-submit claims, counts the person's rate and holds a place in the release's queue, all or
 * nothing; then BullMQ's add. What the script took is undone in one step if the add fails or the
 * attempt is withdrawn; a withdrawn attempt sends nothing more after the step it is at.
 */
export class EnqueueAttempt {
  /** Whether the job itself was sent to the store (it may land even if no answer comes). */
  addSent = false;
  private withdrawn = false;
  private admitted = false;
  private keysOfAttempt: AdmitKeys | undefined;

  constructor(
    private readonly parts: AttemptParts,
    private readonly request: DeployRequest,
    private readonly limits: EnqueueLimits,
    private readonly deadlineMs: number,
  ) {}

  withdraw(): void {
    this.withdrawn = true;
  }

  async run(): Promise<EnqueueResult> {
    try {
      return await this.steps();
    } catch (error) {
      await this.rollBack();
      if (error instanceof Withdrawn)
        return { status: 'unconfirmed', jobId: this.request.id, mayBeQueued: false };
      throw error;
    }
  }

  /** Undoes what this attempt took: its claims, its count against the person, its place. */
  async rollBack(): Promise<void> {
    if (!this.admitted) return;
    this.admitted = false;
    await undoAdmission(this.parts.redis, this.admitKeys(), this.request.id).catch(() => undefined);
  }

  private async steps(): Promise<EnqueueResult> {
    const { redis } = this.parts;
    const { id } = this.request;
    const { limits } = this;
    const keys = this.admitKeys();
    const answer = await admit(redis, keys, {
      requestId: id,
      requestMemorySeconds: REQUEST_ID_MEMORY_SECONDS,
      doubleSubmitSeconds: DOUBLE_SUBMIT_WINDOW_SECONDS,
      now: Date.now(),
      maxPerPersonPerMinute: limits.maxPerPersonPerMinute,
      maxQueuedPerRelease: limits.maxQueuedPerRelease,
      pendingMs: this.deadlineMs + PENDING_MARGIN_MS,
    });
    switch (answer.status) {
      case 'duplicate':
        return { status: 'duplicate', jobId: answer.jobId };
      case 'rate-limited': {
        const { retryAfterMs } = answer;
        return { status: 'rate-limited', limit: limits.maxPerPersonPerMinute, retryAfterMs };
      }
      case 'release-full': {
        const queued = await this.requestsOf(answer.queuedIds);
        return { status: 'release-full', limit: limits.maxQueuedPerRelease, queued };
      }
      case 'admitted':
        break;
    }
    this.admitted = true;
    if (this.withdrawn) throw new Withdrawn();
    this.addSent = true;
    await this.parts.add(this.request);
    // The job is in Redis now and speaks for itself: its mark goes, so that a job removed at once
    // frees its place at once. Not waited for: until it lapses, the mark only counts a job gone.
    redis.del(`${keys.pendingPrefix}${id}`).catch(() => undefined);
    return { status: 'queued', jobId: id };
  }

  private admitKeys(): AdmitKeys {
    const { keys, queue } = this.parts;
    return (this.keysOfAttempt ??= {
      request: keys.request(this.request.id),
      submit: keys.submit(doubleSubmitKey(this.request)),
      person: keys.person(this.request.origin.user.id),
      queued: keys.queued(this.limits.release),
      bullmq: STATE_KEYS.map((state) => queue.toKey(state)),
      jobKeyPrefix: queue.toKey(''),
      pendingPrefix: keys.pendingPrefix,
    });
  }

  /** The release's queued jobs, for the person refused: read with the schema, never trusted. */
  private async requestsOf(jobIds: string[]): Promise<DeployRequest[]> {
    const jobs = await Promise.all(jobIds.map((jobId) => this.parts.queue.getJob(jobId)));
    return jobs.flatMap((job) => {
      const data = Object.entries(job?.data ?? {}).filter(([key]) => key !== SIGNATURE_FIELD);
      const parsed = deployRequestSchema.safeParse(Object.fromEntries(data));
      return parsed.success ? [parsed.data] : [];
    });
  }
}
