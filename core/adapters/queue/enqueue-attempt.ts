import type { Queue } from 'bullmq';
import { deployRequestSchema, type DeployRequest } from '../../domain/deploy-request.js';
import {
  DOUBLE_SUBMIT_WINDOW_SECONDS,
  doubleSubmitKey,
  REQUEST_ID_MEMORY_SECONDS,
} from '../../domain/idempotency.js';
import { SIGNATURE_FIELD, type SignedDeployRequest } from '../../domain/job-signature.js';
import type { EnqueueLimits, EnqueueResult } from '../../ports/deploy-queue.js';
import { admitPerson } from './person-rate.js';
import type { RedisClient } from '../redis-connection.js';
import type { queueKeys } from './queue-keys.js';

/** BullMQ states of a job that has not started: what counts as queued for its release. */
const QUEUED_STATES = new Set(['waiting', 'delayed', 'prioritized', 'waiting-children']);
/**
 * A job in one of these states has ended: the same deploy again is a new one. (Not 'unknown': a
 * claim is taken before its job is added, so a job not there yet is one about to be queued.)
 */
const ENDED_STATES: ReadonlySet<string> = new Set(['completed', 'failed']);
/** Hands a double-submit claim from a job that has ended to a new one, unless someone else did first. */
const TAKE_OVER_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('set', KEYS[1], ARGV[2], 'EX', ARGV[3]) else return false end`;
const GATE_LEASE_MS = 5000;
const GATE_POLL_MS = 20;

class Withdrawn extends Error {}

export interface AttemptParts {
  redis: RedisClient;
  queue: Queue<SignedDeployRequest>;
  keys: ReturnType<typeof queueKeys>;
  add: (request: DeployRequest) => Promise<void>;
}

/**
 * One request's way onto the queue: the request-id and double-submit claims, the person's rate,
 * the release's queue under a short gate, then the job. Each step taken is undone if a later one
 * refuses, fails or is withdrawn; a withdrawn attempt sends nothing more after the step it is at.
 */
export class EnqueueAttempt {
  /** Whether the job itself was sent to the store (it may land even if no answer comes). */
  addSent = false;
  private withdrawn = false;
  private readonly undo: (() => Promise<unknown>)[] = [];

  constructor(
    private readonly parts: AttemptParts,
    private readonly request: DeployRequest,
    private readonly limits: EnqueueLimits,
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

  /** Undoes what this attempt took: claims, its count against the person, the gate. */
  async rollBack(): Promise<void> {
    const steps = this.undo.splice(0).reverse();
    for (const step of steps) await step().catch(() => undefined);
  }

  private async steps(): Promise<EnqueueResult> {
    const { redis, keys } = this.parts;
    const { id } = this.request;
    for (const [key, seconds, whileQueued] of [
      [keys.request(id), REQUEST_ID_MEMORY_SECONDS, false],
      [keys.submit(doubleSubmitKey(this.request)), DOUBLE_SUBMIT_WINDOW_SECONDS, true],
    ] as const) {
      const holder = await this.claim(key, seconds, whileQueued);
      if (holder !== undefined) {
        await this.rollBack();
        return { status: 'duplicate', jobId: holder };
      }
    }
    const person = keys.person(this.request.origin.user.id);
    const rate = await admitPerson(redis, person, id, this.limits.maxPerPersonPerMinute);
    if (!rate.admitted) {
      await this.rollBack();
      const limit = this.limits.maxPerPersonPerMinute;
      return { status: 'rate-limited', limit, retryAfterMs: rate.retryAfterMs };
    }
    this.undo.push(() => redis.zrem(person, id));
    this.check();
    await this.takeGate();
    const queued = await this.queuedForRelease();
    if (queued.length >= this.limits.maxQueuedPerRelease) {
      await this.rollBack();
      return { status: 'release-full', limit: this.limits.maxQueuedPerRelease, queued };
    }
    this.check();
    this.addSent = true;
    await this.parts.add(this.request);
    await redis.zadd(keys.queued(this.limits.release), Date.now(), id);
    await redis.del(keys.gate(this.limits.release));
    return { status: 'queued', jobId: id };
  }

  private check(): void {
    if (this.withdrawn) throw new Withdrawn();
  }

  /**
   * undefined when the claim is won; else the request id holding it. A double-submit claim
   * (`whileQueued`) passes to this request once the job holding it has ended.
   */
  private async claim(
    key: string,
    seconds: number,
    whileQueued: boolean,
  ): Promise<string | undefined> {
    const { redis, queue } = this.parts;
    const won = await redis.set(key, this.request.id, 'EX', seconds, 'NX');
    if (won === null) {
      const holder = await redis.get(key);
      // Lapsed between the two commands: try once more.
      if (holder === null) return this.claim(key, seconds, whileQueued);
      if (!whileQueued || !ENDED_STATES.has(await queue.getJobState(holder))) return holder;
      const args = [holder, this.request.id, String(seconds)];
      const takenOver = await redis.eval(TAKE_OVER_SCRIPT, 1, key, ...args);
      // Another submission took it over first: this one is its double.
      if (takenOver === null) return this.claim(key, seconds, whileQueued);
    }
    this.undo.push(() => redis.del(key));
    this.check();
    return undefined;
  }

  private async takeGate(): Promise<void> {
    const gate = this.parts.keys.gate(this.limits.release);
    for (;;) {
      const won = await this.parts.redis.set(gate, this.request.id, 'PX', GATE_LEASE_MS, 'NX');
      if (won !== null) {
        this.undo.push(() => this.parts.redis.del(gate));
        this.check();
        return;
      }
      this.check();
      await new Promise((resolve) => setTimeout(resolve, GATE_POLL_MS));
    }
  }

  /** The release's jobs that have not started, oldest first; the others leave the index. */
  private async queuedForRelease(): Promise<DeployRequest[]> {
    const { redis, queue, keys } = this.parts;
    const index = keys.queued(this.limits.release);
    const ids = await redis.zrange(index, '0', '-1');
    const states = await Promise.all(ids.map((jobId) => queue.getJobState(jobId)));
    const gone = ids.filter((_, at) => !QUEUED_STATES.has(states[at] ?? 'unknown'));
    if (gone.length > 0) await redis.zrem(index, ...gone);
    const waiting = ids.filter((jobId) => !gone.includes(jobId));
    const jobs = await Promise.all(waiting.map((jobId) => queue.getJob(jobId)));
    // Shown to the person refused: read with the schema, never trusted as it is.
    return jobs.flatMap((job) => {
      const data = Object.entries(job?.data ?? {}).filter(([key]) => key !== SIGNATURE_FIELD);
      const parsed = deployRequestSchema.safeParse(Object.fromEntries(data));
      return parsed.success ? [parsed.data] : [];
    });
  }
}
