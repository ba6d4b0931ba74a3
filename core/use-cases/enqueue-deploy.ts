import { DEFAULT_LIMITS, serviceNamed } from '../domain/catalog.js';
import type { RequestDeployOutcome } from '../domain/command-outcomes.js';
import { isDeployError } from '../domain/deploy-error.js';
import type { DeployRequest } from '../domain/deploy-request.js';
import type { DeployTarget } from '../domain/deploy-target.js';
import type { EnqueueLimits, EnqueueResult } from '../ports/deploy-queue.js';
import { callBudget, type CommandDependencies } from './command-dependencies.js';

type Dependencies = Pick<
  CommandDependencies,
  'catalog' | 'queue' | 'logger' | 'callBudgetMs' | 'answerBy'
>;

export function limitsFor(target: DeployTarget, deps: Dependencies): EnqueueLimits {
  const limits = deps.catalog.limits ?? DEFAULT_LIMITS;
  const release = serviceNamed(deps.catalog, target.service)?.release ?? target.service;
  return {
    release: `${target.environment}/${release}`,
    maxQueuedPerRelease: limits.queuedDeploysPerRelease,
    maxPerPersonPerMinute: limits.deploysPerPersonPerMinute,
  };
}

function outcomeOf(
  result: EnqueueResult,
  request: DeployRequest,
  deps: Dependencies,
): RequestDeployOutcome {
  const { service, ref, environment } = request;
  switch (result.status) {
    case 'duplicate':
      deps.logger.info({ jobId: result.jobId }, 'duplicate deploy command: nothing queued');
      return { kind: 'duplicate', request, jobId: result.jobId };
    case 'queued': {
      const { jobId } = result;
      // Logged once the answer is on its way (the surface answers in this turn): not needed for it.
      setImmediate(() => {
        deps.logger.info({ jobId, service, ref, environment }, 'deploy queued');
      });
      return { kind: 'queued', request, jobId };
    }
    case 'rate-limited':
      deps.logger.warn({ limit: result.limit }, 'deploy refused: too many in a minute');
      return {
        kind: 'rate-limited',
        limit: result.limit,
        retryAfterSeconds: Math.max(1, Math.ceil(result.retryAfterMs / 1000)),
      };
    case 'release-full':
      deps.logger.warn({ service, environment }, 'deploy refused: its release queue is full');
      return { kind: 'release-full', request, limit: result.limit, queued: result.queued };
    case 'unconfirmed':
      deps.logger.error(
        { jobId: result.jobId, mayBeQueued: result.mayBeQueued },
        'the deploy queue did not confirm in time',
      );
      return result.mayBeQueued
        ? { kind: 'maybe-queued', request, jobId: result.jobId }
        : { kind: 'queue-unavailable' };
  }
}

/** Queues a checked request exactly once, within the limits; what came of it, as the person reads it. */
export async function enqueue(
  request: DeployRequest,
  limits: EnqueueLimits,
  deps: Dependencies,
): Promise<RequestDeployOutcome> {
  try {
    const result = await deps.queue.enqueue(request, {
      limits,
      deadlineMs: callBudget(deps, 'queue'),
    });
    return outcomeOf(result, request, deps);
  } catch (error) {
    deps.logger.error(
      { err: error, code: isDeployError(error) ? error.code : undefined },
      'deploy could not be queued',
    );
    return { kind: 'queue-unavailable' };
  }
}
