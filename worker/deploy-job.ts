import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { DeployRequest } from '../core/domain/deploy-request.js';
import { messagePointedAt, verifyDeployJob } from '../core/domain/job-signature.js';
import { readJobProgress, type JobProgress } from '../core/domain/job-progress.js';
import type { Logger } from '../core/logger.js';
import type { DeployDependencies } from '../core/use-cases/deploy-dependencies.js';
import {
  endAbandonedDeploy,
  type AbandonedBecause,
} from '../core/use-cases/end-abandoned-deploy.js';
import { redactInfrastructure } from '../core/domain/infrastructure-redaction.js';
import { SecretScrubber } from '../core/domain/secret-scrubber.js';
import { refuseJob } from '../core/use-cases/refuse-job.js';
import { runDeploy } from '../core/use-cases/run-deploy.js';
import type { DeployJobContext, RefusedJob } from './deploy-worker.js';
import type { DependenciesFor } from './worker-dependencies.js';

/** How soon a deploy whose release is busy looks again. */
const RELEASE_RETRY_MS = 1000;

function record(job: Job, progress: JobProgress): Promise<void> {
  return job.updateProgress(progress);
}

/**
 * One deploy job: the deploy, with its position recorded as it goes. A busy release sends the
 * job back to BullMQ's delayed set (freeing the worker's slot); a failure, already told in
 * the channel, fails the job without a retry.
 */
export async function handleDeployJob(
  request: DeployRequest,
  context: DeployJobContext,
  deps: DeployDependencies,
): Promise<void> {
  const { job } = context;
  const progress = readJobProgress(job.progress);
  const end = await runDeploy(request, deps, {
    signal: context.signal,
    resumed: context.resumed,
    ...(progress?.kind === 'waiting' ? { toldWaitingBehind: progress.behind } : {}),
    onStage: (position) => {
      record(job, { kind: 'running', ...position }).catch(() => undefined);
    },
  });
  if (end.kind === 'waiting') {
    await record(job, { kind: 'waiting', behind: end.holder.jobId });
    await job.moveToDelayed(Date.now() + RELEASE_RETRY_MS, context.token);
    throw new DelayedError();
  }
  await record(job, { kind: 'reported' });
  if (end.kind === 'ended-earlier') {
    // The attempt that ran it could not finish the job (it had lost it): its outcome, as it was.
    if (end.result !== 'succeeded') throw new UnrecoverableError(`ended earlier: ${end.result}`);
    return;
  }
  const { result } = end;
  if (!result.ok) throw new UnrecoverableError(`${result.stage}: ${result.error.message}`);
}

/** BullMQ's failedReason for a job whose workers stopped more often than maxStalledCount. */
const STALLED = 'job stalled more than allowable limit';

/** Why a job failed without its end told, fit for chat: secrets and infrastructure hidden. */
function abandonedBecause(job: Job, deps: DeployDependencies): AbandonedBecause {
  if (job.failedReason === STALLED) return { kind: 'workers-stopped' };
  const scrubbed = new SecretScrubber(deps.secrets).scrub(job.failedReason);
  const known = deps.infrastructure ?? { servers: [], paths: [] };
  return { kind: 'worker-error', detail: redactInfrastructure(scrubbed, known) };
}

/** A job that failed without its end being told (its workers died, or threw): its message is ended now. */
export function endIfAbandoned(
  job: Job,
  jobKey: string,
  depsFor: DependenciesFor,
  logger: Logger,
): void {
  const progress = readJobProgress(job.progress);
  if (progress?.kind === 'reported') return;
  const verdict = verifyDeployJob(job.data, jobKey);
  if (!verdict.ok) return;
  const position = progress?.kind === 'running' ? progress : undefined;
  const request = verdict.request;
  const deps = depsFor(request);
  const why = abandonedBecause(job, deps);
  if (why.kind === 'worker-error')
    logger.error(
      { jobId: job.id, reason: job.failedReason },
      'a deploy failed without its end told',
    );
  endAbandonedDeploy(request, position, deps, why).catch((error: unknown) => {
    logger.error({ err: error, jobId: job.id }, 'could not end the message of an abandoned deploy');
  });
}

/** A job refused before anything ran: the message it points at, on its own surface, says so. */
export function refuseDeployJob(
  job: Job,
  refused: RefusedJob,
  depsFor: DependenciesFor,
): Promise<void> {
  const pointer = messagePointedAt(job.data);
  const deps = depsFor({ origin: { workspace: pointer?.workspace ?? '' } });
  return refuseJob({ id: job.id, ...refused }, pointer, deps);
}
