import { mayDeploy } from '../domain/authorisation.js';
import type { Deployers } from '../domain/catalog.js';
import type { ChatAddress } from '../domain/chat-address.js';
import type { RequestDeployOutcome } from '../domain/command-outcomes.js';
import { isDeployError } from '../domain/deploy-error.js';
import type { DeployRequest } from '../domain/deploy-request.js';
import {
  resolveDeployTarget,
  resolveServiceTarget,
  type Resolution,
} from '../domain/deploy-target.js';
import { DEFAULT_CALL_BUDGET, type CommandDependencies } from './command-dependencies.js';
import { withDeadline } from './deadline.js';
import { standingLock } from './lock-check.js';
import { noteRequest } from './request-records.js';

export interface RequestDeployInput {
  command: { service: string; ref?: string; environment?: string };
  /** Who asks, where: the message is not known yet. */
  origin: Omit<ChatAddress, 'message'>;
  /** One per command, however often the surface delivers it (Slack: from the trigger id). */
  requestId: string;
  /** A rollback rather than a deploy (the command's ref then only names its aim). */
  rollback?: { revision?: number };
}

type Dependencies = Pick<
  CommandDependencies,
  | 'catalog'
  | 'queue'
  | 'directory'
  | 'logger'
  | 'now'
  | 'callBudgetMs'
  | 'locks'
  | 'audit'
  | 'history'
>;

/** May this person deploy there? undefined when the user-group look-up did not answer. */
export async function authorised(
  userId: string,
  environment: { deployers: Deployers },
  deps: Pick<CommandDependencies, 'directory' | 'logger' | 'callBudgetMs'>,
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
 * A deploy (or rollback) asked for in chat: checked against the catalog, authorised, refused
 * while someone else holds a lock, and queued exactly once. Every refusal queues nothing; the
 * request and any refusal go to the audit log and the deploy history.
 */
export async function requestDeploy(
  input: RequestDeployInput,
  deps: Dependencies,
): Promise<RequestDeployOutcome> {
  const outcome = await checkAndQueue(input, deps);
  noteRequest(input, outcome, deps);
  return outcome;
}

/**
 * A rollback goes back to a revision helm keeps: no git ref, so no ref policy; its ref only names
 * its aim. A deploy's ref is checked against the catalog.
 */
function resolveRequest(input: RequestDeployInput, catalog: Dependencies['catalog']): Resolution {
  if (input.rollback === undefined) return resolveDeployTarget(catalog, input.command);
  const resolved = resolveServiceTarget(catalog, input.command);
  if (!resolved.ok) return resolved;
  return { ok: true, target: { ...resolved.target, ref: input.command.ref ?? 'previous' } };
}

async function checkAndQueue(
  input: RequestDeployInput,
  deps: Dependencies,
): Promise<RequestDeployOutcome> {
  const resolution = resolveRequest(input, deps.catalog);
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
  const lock = await standingLock(target, input.origin.user.id, deps);
  if (lock === 'unavailable') return { kind: 'queue-unavailable' };
  if (lock !== undefined) return { kind: 'locked', lock };
  const now = deps.now ?? (() => new Date());
  const { rollback } = input;
  const request: DeployRequest = {
    id: input.requestId,
    ...target,
    origin: input.origin,
    requestedAt: now().toISOString(),
    ...(rollback === undefined ? {} : { kind: 'rollback' }),
    ...(rollback?.revision === undefined ? {} : { revision: rollback.revision }),
  };
  return enqueue(request, deps);
}
