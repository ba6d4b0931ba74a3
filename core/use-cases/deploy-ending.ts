import type { ChatUser } from '../domain/chat-address.js';
import type { DeployRequest } from '../domain/deploy-request.js';
import { DeployError } from '../domain/deploy-error.js';
import {
  redactInfrastructure,
  type InfrastructureDetails,
} from '../domain/infrastructure-redaction.js';
import type { Logger } from '../logger.js';
import type { PipelineResult } from '../pipeline/stage.js';
import type { ProgressReporter } from '../reporting/progress-reporter.js';
import type { DeployDependencies } from './deploy-dependencies.js';
import { recordEnded } from './deploy-records.js';

/** What the stages found out, told before the ending: commit, digest, address, image, revisions. */
function reportDetails(result: PipelineResult, reporter: ProgressReporter): string | undefined {
  const { source, push, deploy, report } = result.outputs;
  const address = report?.address?.url;
  reporter.report({
    type: 'details',
    ...(source ? { commit: source.commit } : {}),
    ...(push ? { digest: push.digest } : {}),
    ...(address === undefined ? {} : { address }),
    ...(deploy?.image === undefined ? {} : { image: deploy.image }),
    ...(deploy === undefined ? {} : { revision: deploy.revision }),
    ...(deploy?.restoredRevision === undefined
      ? {}
      : { restoredRevision: deploy.restoredRevision }),
  });
  return address;
}

const NO_DETAILS: InfrastructureDetails = { servers: [], paths: [] };

/**
 * The message's ending: success with the address, the failure with its log, or, when someone
 * cancelled it and it stopped, who cancelled it at which stage and what became of the release.
 */
export async function reportEnd(
  result: PipelineResult,
  reporter: ProgressReporter,
  logger: Logger,
  options: {
    cancelledBy?: ChatUser;
    /** Cluster details (API servers, kubeconfig paths) kept out of chat; the log has them. */
    infrastructure?: InfrastructureDetails;
  } = {},
): Promise<void> {
  const { cancelledBy, infrastructure = NO_DETAILS } = options;
  const address = reportDetails(result, reporter);
  const { push } = result.outputs;
  if (result.ok) {
    const revision = result.outputs.deploy?.revision;
    logger.info({ digest: push?.digest, revision }, 'deploy succeeded');
    await reporter.finish({
      type: 'succeeded',
      ...(address === undefined ? {} : { address }),
      ...(push ? { digest: push.digest } : {}),
    });
    return;
  }
  const { stage, error, log } = result;
  const rolledBack = error.rolledBackToRevision;
  if (cancelledBy !== undefined) {
    logger.info({ stage, by: cancelledBy.id, reason: error.message }, 'deploy cancelled');
    await reporter.finish({
      type: 'cancelled',
      by: cancelledBy,
      stage,
      ...(rolledBack === undefined ? {} : { rolledBackToRevision: rolledBack }),
      ...(error.releaseRemoved ? { uninstalled: true } : {}),
    });
    return;
  }
  logger.warn({ stage, code: error.code, reason: error.message }, 'deploy failed');
  await reporter.finish({
    type: 'failed',
    stage,
    reason: redactInfrastructure(error.message, infrastructure),
    log: redactInfrastructure(log, infrastructure),
    ...(rolledBack === undefined ? {} : { rolledBackToRevision: rolledBack }),
  });
}

/** A deploy cancelled before it began (while it waited for a worker): nothing was changed. */
export async function endCancelled(
  request: DeployRequest,
  by: ChatUser,
  deps: Pick<DeployDependencies, 'history' | 'audit' | 'logger'>,
  reporter: ProgressReporter,
): Promise<{ kind: 'finished'; result: PipelineResult }> {
  await reporter.finish({ type: 'cancelled', by });
  const error = new DeployError('CANCELLED', `cancelled by @${by.name} before it started`);
  const result = { ok: false, stage: 'source', error, log: '', outputs: {} } as const;
  await recordEnded(request, result, by, deps);
  return { kind: 'finished', result };
}

export type Finished = { kind: 'finished'; result: PipelineResult };

/** A job for a service or environment the catalog no longer has: ended, nothing deployed. */
export async function notInCatalog(
  request: DeployRequest,
  reporter: ProgressReporter,
): Promise<Finished> {
  const reason = `${request.service} → ${request.environment} is no longer in the service catalog; nothing was deployed.`;
  await reporter.finish({ type: 'failed', stage: 'source', reason });
  const error = new DeployError('UNKNOWN_SERVICE', reason);
  return { kind: 'finished', result: { ok: false, stage: 'source', error, log: '', outputs: {} } };
}
