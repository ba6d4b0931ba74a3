import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { RedisClient } from '../core/adapters/redis-connection.js';
import type { DeployRequest } from '../core/domain/deploy-request.js';
import type { JobProgress } from '../core/domain/job-progress.js';
import {
  checkJobIdentity,
  verifyDeployJob,
  type JobVerdict,
} from '../core/domain/job-signature.js';

export interface DeployJobContext {
  job: Job;
  /** The worker's lock token for the job, e.g. to move it back to delayed. */
  token: string;
  /** Aborted when the worker is told to stop at once. */
  signal: AbortSignal;
  /** The job was started before, by a worker that stopped. */
  resumed: boolean;
}

export type RefusedJob = Extract<JobVerdict, { ok: false }>;

export interface DeployWorkerOptions {
  connection: RedisClient;
  queueName: string;
  /** BullMQ's key prefix: `bull` when absent. */
  prefix?: string;
  concurrency: number;
  /** The key the bot signs jobs with (HARBORMASTER_JOB_KEY): a job not signed with it never runs. */
  jobKey: string;
  /** Whether the bot withdrew the job (queued it, but could not confirm it in time). */
  isWithdrawn: (jobId: string) => Promise<boolean>;
  /** Runs one deploy; throwing fails the job (without retry: the deploy reported its own end). */
  handle: (request: DeployRequest, context: DeployJobContext) => Promise<void>;
  /** Told of a job that is refused before anything runs (its message, if any, says so). */
  onRefused: (job: Job, refused: RefusedJob) => Promise<void>;
  /** How long a job stays locked to a worker that stopped renewing it, before another takes it. */
  lockDurationMs?: number;
  now?: () => Date;
}

/** The job's request, if it is one the bot signed for exactly this job, recently, and did not withdraw. */
async function admit(job: Job, options: DeployWorkerOptions): Promise<JobVerdict> {
  const verdict = verifyDeployJob(job.data, options.jobKey);
  if (!verdict.ok) return verdict;
  const identity = checkJobIdentity(verdict.request, job.id, (options.now ?? (() => new Date()))());
  if (!identity.ok) return identity;
  if (await options.isWithdrawn(verdict.request.id)) {
    return { ok: false, refusal: 'withdrawn', detail: 'withdrawn by the bot after its deadline' };
  }
  return verdict;
}

/**
 * Takes deploy jobs off the queue and hands each, verified (its signature, its identity) and
 * parsed against the shared schema, to `handle`. A job that fails verification never runs.
 */
export function createDeployWorker(options: DeployWorkerOptions): Worker {
  const lockDuration = options.lockDurationMs ?? 30_000;
  return new Worker(
    options.queueName,
    async (job: Job, token, signal) => {
      const verdict = await admit(job, options);
      if (!verdict.ok) {
        await options.onRefused(job, verdict);
        // Its end is told: no one is to end its message as an abandoned deploy's.
        const told: JobProgress = { kind: 'reported' };
        await job.updateProgress(told).catch(() => undefined);
        // A job that cannot be trusted will not become trustworthy by retrying it.
        throw new UnrecoverableError(
          `job ${job.id ?? '?'} refused (${verdict.refusal}): ${verdict.detail}`,
        );
      }
      await options.handle(verdict.request, {
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
