import { mayDeploy } from '../domain/authorisation.js';
import type { Deployers } from '../domain/catalog.js';
import type { ChatAddress } from '../domain/chat-address.js';
import type { RequestDeployOutcome } from '../domain/command-outcomes.js';
import { isDeployError } from '../domain/deploy-error.js';
import type { DeployRequest } from '../domain/deploy-request.js';
import { resolveDeployTarget } from '../domain/deploy-target.js';
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

async function enqueue(request: DeployRequest, deps: Dependencies): Promise<RequestDeployOutcome> {
  const budget = deps.callBudgetMs ?? DEFAULT_CALL_BUDGET;
  try {
    const result = await withDeadline(
      deps.queue.enqueue(request),
      budget.queue,
      'QUEUE_UNAVAILABLE',
      'the deploy queue',
    );
    if (result.status === 'duplicate') {
      deps.logger.info({ jobId: result.jobId }, 'duplicate deploy command: nothing queued');
      return { kind: 'duplicate', request, jobId: result.jobId };
    }
    const { service, ref, environment } = request;
    deps.logger.info({ jobId: result.jobId, service, ref, environment }, 'deploy queued');
    return { kind: 'queued', request, jobId: result.jobId };
  } catch (error) {
    deps.logger.error(
      { err: error, code: isDeployError(error) ? error.code : undefined },
      'deploy could not be queued',
    );
    return { kind: 'queue-unavailable' };
  }
}

/**
 * A deploy asked for in chat: checked against the catalog, authorised, and queued exactly once.
 * Every refusal queues nothing.
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
  const environment = deps.catalog.environments[target.environment];
  if (environment === undefined) {
    // resolveDeployTarget checked it; a catalog that changed under us is refused the same way.
    const known = Object.keys(deps.catalog.environments);
    const name = target.environment;
    return {
      kind: 'refused',
      refusal: { code: 'UNKNOWN_ENVIRONMENT', environment: name, suggestions: [], known },
    };
  }
  const allowed = await authorised(input.origin.user.id, environment, deps);
  if (allowed === undefined)
    return { kind: 'authorisation-unavailable', environment: target.environment };
  if (!allowed) {
    deps.logger.info({ environment: target.environment }, 'deploy refused: not a deployer');
    const refusal = { code: 'NOT_AUTHORISED', environment: target.environment } as const;
    return { kind: 'refused', refusal, deployers: environment.deployers };
  }
  const now = deps.now ?? (() => new Date());
  const request: DeployRequest = {
    id: input.requestId,
    ...target,
    origin: input.origin,
    requestedAt: now().toISOString(),
  };
  return enqueue(request, deps);
}
