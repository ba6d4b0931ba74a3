import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { deployRequestSchema, type DeployRequest } from '../core/domain/deploy-request.js';
import { readJobProgress, type JobProgress } from '../core/domain/job-progress.js';
import type { Logger } from '../core/logger.js';
import type { DeployDependencies } from '../core/use-cases/deploy-dependencies.js';
import { endAbandonedDeploy } from '../core/use-cases/end-abandoned-deploy.js';
import { runDeploy } from '../core/use-cases/run-deploy.js';
import type { DeployJobContext } from './deploy-worker.js';
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
  const { result } = end;
  if (!result.ok) throw new UnrecoverableError(`${result.stage}: ${result.error.message}`);
}

/** A job that failed without its end being told (its workers died): its message is ended now. */
export function endIfAbandoned(job: Job, depsFor: DependenciesFor, logger: Logger): void {
  const progress = readJobProgress(job.progress);
  const request = deployRequestSchema.safeParse(job.data);
  if (progress?.kind === 'reported' || !request.success) return;
  const position = progress?.kind === 'running' ? progress : undefined;
  endAbandonedDeploy(request.data, position, depsFor(request.data)).catch((error: unknown) => {
    logger.error({ err: error, jobId: job.id }, 'could not end the message of an abandoned deploy');
  });
}
