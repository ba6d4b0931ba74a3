import { mayDeploy } from '../domain/authorisation.js';
import {
  DEFAULT_LIMITS,
  environmentNamed,
  serviceNamed,
  type Deployers,
} from '../domain/catalog.js';
import type { ChatAddress } from '../domain/chat-address.js';
import type { RequestDeployOutcome } from '../domain/command-outcomes.js';
import { isDeployError } from '../domain/deploy-error.js';
import { currentDeployRequestSchema, type DeployRequest } from '../domain/deploy-request.js';
import { resolveDeployTarget, type DeployTarget } from '../domain/deploy-target.js';
import type { EnqueueLimits, EnqueueResult } from '../ports/deploy-queue.js';
import { DEFAULT_CALL_BUDGET, type CommandDependencies } from './command-dependencies.js';
import { withDeadline } from './deadline.js';

export interface RequestDeployInput {
  command: { service: string; ref?: string; environment?: string };
  /** Who asks, where: the message is not known yet. */
  origin: Omit<ChatAddress, 'message'>;
  /** One per command, however often the surface delivers it (Slack: from the trigger id). */
  requestId: string;
}

type Dependencies = Pick<
  CommandDependencies,
  'catalog' | 'queue' | 'directory' | 'logger' | 'now' | 'callBudgetMs'
>;

/** May this person deploy there? undefined when the user-group look-up did not answer. */
async function authorised(
  userId: string,
  environment: { deployers: Deployers },
  deps: Dependencies,
): Promise<boolean | undefined> {
  const budget = deps.callBudgetMs ?? DEFAULT_CALL_BUDGET;
  try {
    return await withDeadline(
      mayDeploy(userId, environment, (group) => deps.directory.userGroupMembers(group)),
      budget.authorisation,
      'TIMEOUT',
      'the user-group look-up',
    );
  } catch (error) {
    deps.logger.warn({ err: error }, 'authorisation look-up failed');
    return undefined;
  }
}

function limitsFor(target: DeployTarget, deps: Dependencies): EnqueueLimits {
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
    case 'queued':
      deps.logger.info({ jobId: result.jobId, service, ref, environment }, 'deploy queued');
      return { kind: 'queued', request, jobId: result.jobId };
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

async function enqueue(
  request: DeployRequest,
  limits: EnqueueLimits,
  deps: Dependencies,
): Promise<RequestDeployOutcome> {
  const budget = deps.callBudgetMs ?? DEFAULT_CALL_BUDGET;
  try {
    const result = await deps.queue.enqueue(request, { limits, deadlineMs: budget.queue });
    return outcomeOf(result, request, deps);
  } catch (error) {
    deps.logger.error(
      { err: error, code: isDeployError(error) ? error.code : undefined },
      'deploy could not be queued',
    );
    return { kind: 'queue-unavailable' };
  }
}

/** The request as the queue's contract has it, or the field (as the contract names it) that is not. */
function requestOf(input: RequestDeployInput, target: DeployTarget, deps: Dependencies) {
  const now = deps.now ?? (() => new Date());
  const request = {
    id: input.requestId,
    ...target,
    origin: input.origin,
    requestedAt: now().toISOString(),
  };
  return currentDeployRequestSchema.safeParse(request);
}

/**
 * A deploy asked for in chat: checked against the catalog, authorised, and queued exactly once,
 * within the limits. Every refusal queues nothing.
 */
export async function requestDeploy(
  input: RequestDeployInput,
  deps: Dependencies,
): Promise<RequestDeployOutcome> {
  const resolution = resolveDeployTarget(deps.catalog, input.command);
  if (!resolution.ok) {
    deps.logger.info({ refusal: resolution.refusal.code }, 'deploy refused');
    return { kind: 'refused', refusal: resolution.refusal };
  }
  const { target } = resolution;
  const environment = environmentNamed(deps.catalog, target.environment);
  if (environment === undefined) {
    // resolveDeployTarget checked it; a catalog that changed under us is refused the same way.
    const known = Object.keys(deps.catalog.environments);
    const name = target.environment;
    return {
      kind: 'refused',
      refusal: { code: 'UNKNOWN_ENVIRONMENT', environment: name, suggestions: [], known },
    };
  }
  const parsed = requestOf(input, target, deps);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') ?? '';
    deps.logger.warn({ field, problem: issue?.message }, 'deploy refused: malformed request');
    return { kind: 'malformed', field, expected: issue?.message ?? 'a valid value' };
  }
  const allowed = await authorised(input.origin.user.id, environment, deps);
  if (allowed === undefined)
    return { kind: 'authorisation-unavailable', environment: target.environment };
  if (!allowed) {
    deps.logger.info({ environment: target.environment }, 'deploy refused: not a deployer');
    const refusal = { code: 'NOT_AUTHORISED', environment: target.environment } as const;
    return { kind: 'refused', refusal, deployers: environment.deployers };
  }
  return enqueue(parsed.data, limitsFor(target, deps), deps);
}
