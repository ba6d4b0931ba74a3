import { clusterTargetOf, releaseOf } from '../../domain/catalog.js';
import { DeployError, isDeployError } from '../../domain/deploy-error.js';
import type { RolloutWaiter } from '../../ports/cluster.js';
import type { Helm } from '../../ports/helm.js';
import type { Stage, StageContext } from '../stage.js';
import { undoRelease } from './undo-release.js';

export interface VerifyStageOptions {
  cluster: RolloutWaiter;
  helm: Helm;
  /** How long the rollback's own rollout may take; the stage's time limit when absent. */
  rollbackTimeoutMs?: number;
}

/** Back to the revision before, and its rollout followed; the rollback's own trouble is only logged. */
async function rollBack(
  options: VerifyStageOptions,
  context: StageContext,
  previous: number,
): Promise<void> {
  const timeoutMs = options.rollbackTimeoutMs ?? context.timeoutMs;
  const release = releaseOf(context.service, context.environment);
  context.log(`rolling back to revision ${previous}`);
  await options.helm.rollback({
    ...release,
    revision: previous,
    timeoutMs,
    signal: context.signal,
    onLine: context.log,
  });
  await options.cluster
    .waitForRollout({
      target: clusterTargetOf(context.environment),
      release: release.release,
      timeoutMs,
      signal: context.signal,
    })
    .catch((rollbackError: unknown) => {
      context.log(`the rollback's rollout did not finish: ${(rollbackError as Error).message}`);
    });
}

/**
 * Verify: follows the rollout until every replica is updated and ready. When it fails or runs
 * out of time, the release goes back to the revision deployed before, and the error says so;
 * when the deploy is cancelled, too (a first install is removed).
 */
export function verifyStage(options: VerifyStageOptions): Stage<'verify', 'deploy'> {
  return {
    name: 'verify',
    needs: ['deploy'],
    // The rollback runs inside this stage, so the stage's limit covers both.
    limitMs: (timeoutMs) => timeoutMs + (options.rollbackTimeoutMs ?? timeoutMs),
    finishesOnCancel: true,
    async run(context, { deploy }) {
      try {
        const done = await options.cluster.waitForRollout({
          target: clusterTargetOf(context.environment),
          release: context.service.release,
          timeoutMs: context.timeoutMs,
          signal: AbortSignal.any([context.signal, context.cancelSignal]),
          onProgress: (progress) => {
            context.log(`rollout: ${progress.message}`);
          },
        });
        return { output: { rollout: done.message }, summary: done.message };
      } catch (error) {
        if (context.cancelSignal.aborted) {
          throw await undoRelease(options.helm, context, 'verify', deploy.previousRevision);
        }
        const failed = isDeployError(error, 'ROLLOUT_FAILED') || isDeployError(error, 'TIMEOUT');
        if (!failed) throw error;
        const previous = deploy.previousRevision;
        if (previous === undefined) {
          throw new DeployError(
            'ROLLOUT_FAILED',
            `${error.message}. This was the first install, so there is no earlier revision to roll back to.`,
            { cause: error },
          );
        }
        await rollBack(options, context, previous);
        // The reason stays the failure itself; the message adds "rolled back" from the error.
        throw new DeployError('ROLLOUT_FAILED', error.message, {
          cause: error,
          rolledBackToRevision: previous,
        });
      }
    },
  };
}
