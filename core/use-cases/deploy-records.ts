import type { ChatUser } from '../domain/chat-address.js';
import type { DeployRecordUpdate } from '../domain/deploy-record.js';
import type { DeployRequest } from '../domain/deploy-request.js';
import type { PipelineResult } from '../pipeline/stage.js';
import { audit, recordDeploy } from './brake-support.js';
import type { DeployDependencies } from './deploy-dependencies.js';

type Dependencies = Pick<DeployDependencies, 'history' | 'audit' | 'logger'>;

/** The fields every write of a deploy's record carries, so the record stands on its own. */
function base(request: DeployRequest): DeployRecordUpdate {
  return {
    jobId: request.id,
    kind: request.kind ?? 'deploy',
    service: request.service,
    environment: request.environment,
    ref: request.ref,
    requestedBy: request.origin.user,
    requestedAt: request.requestedAt,
    ...(request.origin.message === undefined
      ? {}
      : { message: { channel: request.origin.channel, id: request.origin.message } }),
  };
}

/** A worker began the deploy. */
export function recordStarted(request: DeployRequest, deps: Dependencies): Promise<void> {
  return recordDeploy(deps, {
    ...base(request),
    result: 'running',
    startedAt: new Date().toISOString(),
  });
}

/** What the outputs say of the deploy, whatever its end. */
function outputsOf(result: PipelineResult): Partial<DeployRecordUpdate> {
  const { source, push, deploy } = result.outputs;
  return {
    ...(source === undefined ? {} : { commit: source.commit }),
    ...(push === undefined ? {} : { digest: push.digest }),
    ...(deploy === undefined ? {} : { revision: deploy.revision }),
    ...(deploy?.previousRevision === undefined
      ? {}
      : { previousRevision: deploy.previousRevision }),
    ...(deploy?.restoredRevision === undefined
      ? {}
      : { restoredRevision: deploy.restoredRevision }),
    ...(deploy?.image === undefined ? {} : { image: deploy.image }),
  };
}

/** How it ended, in the history and in the audit log. */
export async function recordEnded(
  request: DeployRequest,
  result: PipelineResult,
  cancelledBy: ChatUser | undefined,
  deps: Dependencies,
): Promise<void> {
  const outcome =
    cancelledBy !== undefined && !result.ok ? 'cancelled' : result.ok ? 'succeeded' : 'failed';
  const failed = result.ok ? {} : { stage: result.stage, reason: result.error.message };
  const rolledBack = result.ok ? undefined : result.error.rolledBackToRevision;
  await recordDeploy(deps, {
    ...base(request),
    ...outputsOf(result),
    ...failed,
    result: outcome,
    finishedAt: new Date().toISOString(),
    ...(rolledBack === undefined ? {} : { rolledBackToRevision: rolledBack }),
    ...(cancelledBy === undefined || result.ok ? {} : { cancelledBy }),
  });
  const rollback = request.kind === 'rollback';
  await audit(deps, {
    action: rollback ? 'rollback-finished' : 'deploy-finished',
    actor: request.origin.user,
    service: request.service,
    environment: request.environment,
    jobId: request.id,
    detail: result.ok
      ? 'succeeded'
      : `${outcome} at ${result.stage}${cancelledBy === undefined ? '' : ` by @${cancelledBy.name}`}: ${result.error.message}`,
  });
}
