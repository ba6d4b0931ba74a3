import type { AuditEntry } from '../domain/audit-entry.js';
import type { TargetRefused } from '../domain/brake-outcomes.js';
import type { ChatUser } from '../domain/chat-address.js';
import type { ServiceTarget } from '../domain/deploy-lock.js';
import type { DeployRecordUpdate } from '../domain/deploy-record.js';
import { resolveServiceTarget } from '../domain/deploy-target.js';
import type { Logger } from '../logger.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { DeployHistory } from '../ports/deploy-history.js';
import type { CommandDependencies } from './command-dependencies.js';
import { authorised } from './request-deploy.js';

/** A service and environment checked against the catalog (the environment defaults as a deploy's). */
export function resolveTarget(
  catalog: CommandDependencies['catalog'],
  command: { service: string; environment?: string },
): { ok: true; target: ServiceTarget } | TargetRefused {
  const resolution = resolveServiceTarget(catalog, command);
  if (!resolution.ok) return { kind: 'refused', refusal: resolution.refusal };
  return { ok: true, target: resolution.target };
}

type RightsDependencies = Pick<
  CommandDependencies,
  'catalog' | 'directory' | 'logger' | 'callBudgetMs'
>;

/**
 * May this person act on the environment (lock it, force an unlock, roll back, cancel someone
 * else's deploy)? The same right as deploying there. undefined when the look-up did not answer.
 */
export async function mayActOn(
  user: ChatUser,
  environment: string,
  deps: RightsDependencies,
): Promise<true | TargetRefused | undefined> {
  const config = deps.catalog.environments[environment];
  if (config === undefined) {
    const known = Object.keys(deps.catalog.environments);
    return {
      kind: 'refused',
      refusal: { code: 'UNKNOWN_ENVIRONMENT', environment, suggestions: [], known },
    };
  }
  const allowed = await authorised(user.id, config, deps);
  if (allowed === undefined) return undefined;
  if (allowed) return true;
  return {
    kind: 'refused',
    refusal: { code: 'NOT_AUTHORISED', environment },
    deployers: config.deployers,
  };
}

/** Writes to the audit log; a failure is logged, never the action's undoing. */
export async function audit(
  deps: { audit: AuditLog; logger: Logger },
  entry: Omit<AuditEntry, 'at'> & { at?: string },
): Promise<void> {
  try {
    await deps.audit.append({ ...entry, at: entry.at ?? new Date().toISOString() });
  } catch (error) {
    deps.logger.error({ err: error, action: entry.action }, 'could not write the audit log');
  }
}

/** Writes to the deploy history; a failure is logged, never the deploy's undoing. */
export async function recordDeploy(
  deps: { history: DeployHistory; logger: Logger },
  update: DeployRecordUpdate,
): Promise<void> {
  try {
    await deps.history.record(update);
  } catch (error) {
    deps.logger.error({ err: error, jobId: update.jobId }, 'could not write the deploy history');
  }
}
