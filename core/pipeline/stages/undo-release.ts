import { releaseOf } from '../../domain/catalog.js';
import { DeployError } from '../../domain/deploy-error.js';
import { STAGE_TITLES, type StageName } from '../../domain/stages.js';
import type { Helm } from '../../ports/helm.js';
import type { StageContext } from '../stage.js';

/**
 * A cancelled deploy's change to the release undone: back to the revision deployed before, or,
 * for a first install, the release removed. Runs under the stage's time limit only (the cancel
 * already happened), and answers the CANCELLED error that says what was done.
 */
export async function undoRelease(
  helm: Helm,
  context: StageContext,
  stage: StageName,
  previousRevision: number | undefined,
): Promise<DeployError> {
  const release = releaseOf(context.service, context.environment);
  const control = { timeoutMs: context.timeoutMs, signal: context.signal, onLine: context.log };
  const during = `the deploy was cancelled during ${STAGE_TITLES[stage]}`;
  if (previousRevision === undefined) {
    context.log(`cancelled: removing the first install of ${release.release}`);
    await helm.uninstall({ ...release, ...control });
    return new DeployError('CANCELLED', `${during}; its first install was removed`, {
      releaseRemoved: true,
    });
  }
  context.log(`cancelled: rolling back to revision ${previousRevision}`);
  await helm.rollback({ ...release, ...control, revision: previousRevision });
  return new DeployError('CANCELLED', `${during}; rolled back to revision ${previousRevision}`, {
    rolledBackToRevision: previousRevision,
  });
}

/** Has the deploy been cancelled? (A function: the answer changes while a stage awaits.) */
export function cancelRequested(context: Pick<StageContext, 'cancelSignal'>): boolean {
  return context.cancelSignal.aborted;
}

/** A cancel seen before the stage changed anything. */
export function cancelledBefore(stage: StageName): DeployError {
  return new DeployError('CANCELLED', `the deploy was cancelled during ${STAGE_TITLES[stage]}`);
}
