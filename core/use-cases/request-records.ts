import type { RequestDeployOutcome } from '../domain/command-outcomes.js';
import { targetKey } from '../domain/deploy-lock.js';
import { audit, recordDeploy } from './brake-support.js';
import type { CommandDependencies } from './command-dependencies.js';
import type { RequestDeployInput } from './request-deploy.js';

type Dependencies = Pick<CommandDependencies, 'audit' | 'history' | 'logger'>;

/** What the audit log says of a refusal. */
function refusalDetail(outcome: RequestDeployOutcome): string | undefined {
  switch (outcome.kind) {
    case 'refused':
      return outcome.refusal.code;
    case 'locked':
      return `locked by @${outcome.lock.by.name} (${targetKey(outcome.lock)}): ${outcome.lock.reason}`;
    default:
      return undefined;
  }
}

/**
 * A request and its outcome, written down without holding up the answer (the surface has
 * seconds): a queued deploy in the history and the audit log, a refusal in the audit log.
 */
export function noteRequest(
  input: RequestDeployInput,
  outcome: RequestDeployOutcome,
  deps: Dependencies,
): void {
  const rollback = input.rollback !== undefined;
  const { service, environment } = input.command;
  const actor = input.origin.user;
  const refusal = refusalDetail(outcome);
  if (refusal !== undefined) {
    const what = rollback ? 'rollback' : 'deploy';
    void audit(deps, {
      action: 'refused',
      actor,
      service,
      ...(environment === undefined ? {} : { environment }),
      detail: `${what}: ${refusal}`,
    });
    return;
  }
  if (outcome.kind !== 'queued') return;
  const { request, jobId } = outcome;
  void audit(deps, {
    action: rollback ? 'rollback-requested' : 'deploy-requested',
    actor,
    service: request.service,
    environment: request.environment,
    jobId,
    detail: rollback ? `revision ${request.revision ?? 'previous'}` : `ref ${request.ref}`,
  });
  void recordDeploy(deps, {
    jobId,
    kind: rollback ? 'rollback' : 'deploy',
    service: request.service,
    environment: request.environment,
    ref: request.ref,
    requestedBy: actor,
    requestedAt: request.requestedAt,
    result: 'queued',
  });
}
