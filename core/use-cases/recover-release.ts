import type { ProgressNote } from '../domain/deploy-progress.js';
import type { DeployRequest } from '../domain/deploy-request.js';
import type { Logger } from '../logger.js';
import type { DeployJobs } from '../ports/deploy-jobs.js';
import type { Helm, ReleaseRef, ReleaseRevision, ReleaseStatus } from '../ports/helm.js';
import type { ReleaseOperations } from '../ports/release-operations.js';
import type { AuditLog } from '../ports/audit-log.js';
import { audit } from './brake-support.js';
import { asStageError } from '../pipeline/run-stage.js';
import type { PipelineResult } from '../pipeline/stage.js';
import { DeployError } from '../domain/deploy-error.js';
import type { SecretScrubber } from '../domain/secret-scrubber.js';

export type ReleaseCheck =
  | { ok: true; note?: ProgressNote }
  /** Pending for a reason that is not ours to undo: the deploy stops, nothing touched. */
  | { ok: false; reason: string };

export interface RecoveryDependencies {
  /** Helm whose changes are written down (markedHelm): a recovery cut short is recovered too. */
  helm: Helm;
  operations: ReleaseOperations;
  jobs: DeployJobs;
  audit: AuditLog;
  logger: Logger;
  timeoutMs: number;
}

const PENDING = /^pending-(install|upgrade|rollback)$/;

/** The last revision that was ever deployed before the pending one. */
function lastGood(history: readonly ReleaseRevision[], pending: number) {
  return history
    .filter(
      (entry) => entry.revision < pending && ['deployed', 'superseded'].includes(entry.status),
    )
    .at(-1);
}

/** The helm command that would fix it, exactly, for a person to run. */
export function fixCommand(release: ReleaseRef, good: ReleaseRevision | undefined): string {
  const where = [
    `--namespace ${release.namespace}`,
    ...(release.kubeContext === undefined ? [] : [`--kube-context ${release.kubeContext}`]),
  ];
  return good === undefined
    ? ['helm uninstall', release.release, ...where].join(' ')
    : ['helm rollback', release.release, String(good.revision), ...where].join(' ');
}

function notOurs(
  release: ReleaseRef,
  status: ReleaseStatus,
  history: readonly ReleaseRevision[],
  why: string,
) {
  return {
    ok: false as const,
    reason: `release ${release.release} in ${release.namespace} is ${status.status} (revision ${status.revision}), and ${why}. Nothing was changed. Once no other helm command is running on it, fix it with: ${fixCommand(release, lastGood(history, status.revision))}`,
  };
}

/**
 * Before a deploy changes a release: is the release free to change? A release left `pending-*`
 * by a deploy of ours that died (its job runs nowhere: it is this job's earlier attempt, or the
 * queue says it is no longer running, and we hold the release lock) is recovered: rolled back to
 * its last deployed revision, or uninstalled when it never was deployed. Any other pending state
 * is not ours: the deploy stops and says which command would fix it.
 */
export async function checkRelease(
  request: DeployRequest,
  release: ReleaseRef,
  deps: RecoveryDependencies,
): Promise<ReleaseCheck> {
  const status = await deps.helm.status(release);
  if (status === undefined || !PENDING.test(status.status)) return { ok: true };
  const history = await deps.helm.history(release);
  const operation = await deps.operations.current(release);
  if (operation === undefined || operation.revision !== status.revision) {
    return notOurs(
      release,
      status,
      history,
      'no deploy of Harbormaster left it so: another helm may be at work on it',
    );
  }
  if (
    operation.jobId !== request.id &&
    (await deps.jobs.find(operation.jobId))?.state === 'running'
  ) {
    return notOurs(
      release,
      status,
      history,
      `the deploy that left it so (job ${operation.jobId}) may still be running`,
    );
  }
  const good = lastGood(history, status.revision);
  const control = { ...release, timeoutMs: deps.timeoutMs };
  const left = `it was left ${status.status} (revision ${status.revision}) by a deploy that died (job ${operation.jobId})`;
  let done: string;
  if (good === undefined) {
    await deps.helm.uninstall(control);
    done = `it had never been deployed, so it was uninstalled`;
  } else {
    await deps.helm.rollback({ ...control, revision: good.revision });
    done = `rolled back to revision ${good.revision}`;
  }
  const text = `Recovered ${release.release}: ${left}; ${done}.`;
  deps.logger.warn(
    { release: release.release, pending: status.status, from: operation.jobId },
    'stuck release recovered',
  );
  await audit(deps, {
    action: 'release-recovered',
    actor: request.origin.user,
    service: request.service,
    environment: request.environment,
    jobId: request.id,
    detail: text,
  });
  return { ok: true, note: { kind: 'text', text } };
}

/**
 * checkRelease, with a helm that could not even read the release (the cluster unreachable, helm
 * failing) answered as a refusal with helm's reason, so that the deploy ends with it told.
 */
export function checkReleaseOrSayWhy(
  request: DeployRequest,
  release: ReleaseRef,
  deps: RecoveryDependencies,
): Promise<ReleaseCheck> {
  return checkRelease(request, release, deps).catch((error: unknown) => ({
    ok: false as const,
    reason: asStageError('deploy', error).message,
  }));
}

/** A release check that stops the deploy: the deploy's end, failed at Helm upgrade with the reason. */
export function releaseRefused(reason: string, scrubber: SecretScrubber): PipelineResult {
  const error = new DeployError('HELM_FAILED', scrubber.scrub(reason));
  return { ok: false, stage: 'deploy', error, log: error.message, outputs: {} };
}
