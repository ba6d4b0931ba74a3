import type { BrakeUnavailable, CancelOutcome, TargetRefused } from '../domain/brake-outcomes.js';
import type { ChatUser } from '../domain/chat-address.js';
import type { DeployRequest } from '../domain/deploy-request.js';
import { ProgressReporter } from '../reporting/progress-reporter.js';
import { audit, mayActOn, recordDeploy } from './brake-support.js';
import type { CommandDependencies } from './command-dependencies.js';

type Dependencies = Pick<
  CommandDependencies,
  | 'catalog'
  | 'directory'
  | 'jobs'
  | 'cancels'
  | 'chat'
  | 'history'
  | 'audit'
  | 'logger'
  | 'now'
  | 'callBudgetMs'
>;

/** The message of a deploy that never started, ended: cancelled by whom, before it began. */
async function endQueuedDeploy(request: DeployRequest, by: ChatUser, deps: Dependencies) {
  const reporter = new ProgressReporter({
    chat: deps.chat,
    request,
    logger: deps.logger.child({ jobId: request.id }),
    intervalMs: 0,
  });
  await reporter.finish({ type: 'cancelled', by });
  const now = (deps.now ?? (() => new Date()))().toISOString();
  await recordDeploy(deps, {
    jobId: request.id,
    kind: request.kind ?? 'deploy',
    service: request.service,
    environment: request.environment,
    ref: request.ref,
    requestedBy: request.origin.user,
    requestedAt: request.requestedAt,
    result: 'cancelled',
    cancelledBy: by,
    finishedAt: now,
    ...(request.origin.message === undefined
      ? {}
      : { message: { channel: request.origin.channel, id: request.origin.message } }),
  });
}

/**
 * `/deploy cancel <deploy-id>` and the Cancel button. Whoever asked for the deploy, or anyone who
 * may deploy there, cancels it: a queued deploy is taken off the queue and its message ended;
 * a running one is told to stop, on whichever worker runs it (the worker ends its message).
 */
export async function cancelDeploy(
  input: { deployId: string; by: ChatUser },
  deps: Dependencies,
): Promise<CancelOutcome | TargetRefused | BrakeUnavailable> {
  const { deployId: jobId, by } = input;
  const what = `cancel ${jobId}`;
  try {
    const job = await deps.jobs.find(jobId);
    if (job === undefined) return { kind: 'unknown-deploy', deployId: jobId };
    const { request } = job;
    if (job.state === 'finished') return { kind: 'already-ended', request, jobId };
    if (request.origin.user.id !== by.id) {
      const right = await mayActOn(by, request.environment, deps);
      if (right === undefined) return { kind: 'brake-unavailable', what };
      if (right !== true) {
        await audit(deps, {
          action: 'refused',
          actor: by,
          service: request.service,
          environment: request.environment,
          jobId,
          detail: 'cancel: NOT_AUTHORISED',
        });
        return right;
      }
    }
    // Asked first, so that a worker taking the job this very moment sees it and stops at once.
    await deps.cancels.request(jobId, by);
    const entry = {
      action: 'cancel',
      actor: by,
      service: request.service,
      environment: request.environment,
      jobId,
    } as const;
    if (job.state === 'queued' && (await deps.jobs.removeQueued(jobId))) {
      await audit(deps, { ...entry, detail: 'removed from the queue before it started' });
      await endQueuedDeploy(request, by, deps);
      return { kind: 'cancelled-queued', request, jobId };
    }
    await deps.jobs.forgetSubmission(jobId);
    await audit(deps, { ...entry, detail: 'asked the worker running it to stop' });
    return { kind: 'cancelling', request, jobId };
  } catch (error) {
    deps.logger.error({ err: error, jobId }, 'cancel failed');
    return { kind: 'brake-unavailable', what };
  }
}
