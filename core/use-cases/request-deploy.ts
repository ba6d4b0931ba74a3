import { mayDeploy } from '../domain/authorisation.js';
import { environmentNamed, type Deployers } from '../domain/catalog.js';
import type { ChatAddress } from '../domain/chat-address.js';
import type { RequestDeployOutcome } from '../domain/command-outcomes.js';
import { currentDeployRequestSchema } from '../domain/deploy-request.js';
import {
  resolveDeployTarget,
  resolveServiceTarget,
  type DeployTarget,
  type Resolution,
} from '../domain/deploy-target.js';
import { callBudget, type CommandDependencies } from './command-dependencies.js';
import { withDeadline } from './deadline.js';
import { enqueue, limitsFor } from './enqueue-deploy.js';
import { standingLock } from './lock-check.js';
import { noteRequest } from './request-records.js';

export interface RequestDeployInput {
  command: { service: string; ref?: string; environment?: string; rebuild?: true };
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
  | 'answerBy'
  | 'locks'
  | 'audit'
  | 'history'
>;

/** May this person deploy there? undefined when the user-group look-up did not answer. */
export async function authorised(
  userId: string,
  environment: { deployers: Deployers },
  deps: Pick<CommandDependencies, 'directory' | 'logger' | 'callBudgetMs' | 'answerBy'>,
): Promise<boolean | undefined> {
  try {
    return await withDeadline(
      mayDeploy(userId, environment, (group) => deps.directory.userGroupMembers(group)),
      callBudget(deps, 'authorisation'),
      'TIMEOUT',
      'the user-group look-up',
    );
  } catch (error) {
    deps.logger.warn({ err: error }, 'authorisation look-up failed');
    return undefined;
  }
}

/** The request as the queue's contract has it, or the field (as the contract names it) that is not. */
function requestOf(input: RequestDeployInput, target: DeployTarget, deps: Dependencies) {
  const now = deps.now ?? (() => new Date());
  const { rollback } = input;
  const request = {
    id: input.requestId,
    ...target,
    origin: input.origin,
    requestedAt: now().toISOString(),
    ...(rollback === undefined ? {} : { kind: 'rollback' }),
    ...(rollback?.revision === undefined ? {} : { revision: rollback.revision }),
    ...(input.command.rebuild === true && rollback === undefined ? { rebuild: true } : {}),
  };
  return currentDeployRequestSchema.safeParse(request);
}

/**
 * A deploy (or rollback) asked for in chat: checked against the catalog, authorised, refused
 * while someone else holds a lock, and queued exactly once, within the limits. Every refusal
 * queues nothing; the request and any refusal go to the audit log and the deploy history, just
 * after the answer.
 */
export async function requestDeploy(
  input: RequestDeployInput,
  deps: Dependencies,
): Promise<RequestDeployOutcome> {
  const outcome = await checkAndQueue(input, deps);
  // Written down once the answer is on its way: the surface answers in the same turn, and nothing
  // in the note is needed for it. Still long before the job is announced (a chat call later), so
  // the history has the request before the worker writes to it.
  setImmediate(() => {
    noteRequest(input, outcome, deps);
  });
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
  const lock = await standingLock(target, input.origin.user.id, deps);
  if (lock === 'unavailable') return { kind: 'queue-unavailable' };
  if (lock !== undefined) return { kind: 'locked', lock };
  return enqueue(parsed.data, limitsFor(target, deps), deps);
}
