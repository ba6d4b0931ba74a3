import { DeployError, isDeployError } from '../../domain/deploy-error.js';
import type { RolloutWaiter } from '../../ports/cluster.js';
import type { Helm } from '../../ports/helm.js';
import type { PipelineStage, StageContext } from '../pipeline-types.js';
import { releaseOf } from './deploy-stage.js';

export interface VerifyStageOptions {
  cluster: RolloutWaiter;
  helm: Helm;
  timeoutMs: number;
  /** How long the rollback's own rollout may take. */
  rollbackTimeoutMs?: number;
}

function clusterTarget(context: StageContext) {
  const { namespace, kubeContext } = releaseOf(context);
  return { namespace, ...(kubeContext ? { kubeContext } : {}) };
}

/**
 * Verify: follows the rollout until every replica is updated and ready. When it fails or runs
 * out of time, the release goes back to the revision deployed before, and the error says so.
 */
export function verifyStage(options: VerifyStageOptions): PipelineStage {
  const rollbackTimeoutMs = options.rollbackTimeoutMs ?? options.timeoutMs;
  return {
    name: 'verify',
    // The rollback runs inside this stage, so the stage's limit covers both.
    timeoutMs: options.timeoutMs + rollbackTimeoutMs,
    async run(context) {
      const release = releaseOf(context);
      try {
        const done = await options.cluster.waitForRollout({
          target: clusterTarget(context),
          release: release.release,
          timeoutMs: options.timeoutMs,
          signal: context.signal,
          onProgress: (progress) => {
            context.log(`rollout: ${progress.message}`);
          },
        });
        return done.message;
      } catch (error) {
        const failed = isDeployError(error, 'ROLLOUT_FAILED') || isDeployError(error, 'TIMEOUT');
        if (!failed) throw error;
        const previous = context.outcome.previousRevision;
        if (previous === undefined) {
          throw new DeployError(
            'ROLLOUT_FAILED',
            `${error.message}. This was the first install, so there is no earlier revision to roll back to.`,
            { cause: error },
          );
        }
        context.log(`rolling back to revision ${previous}`);
        await options.helm.rollback({
          ...release,
          revision: previous,
          timeoutMs: rollbackTimeoutMs,
          signal: context.signal,
          onLine: context.log,
        });
        context.outcome.rolledBackTo = previous;
        await options.cluster
          .waitForRollout({
            target: clusterTarget(context),
            release: release.release,
            timeoutMs: rollbackTimeoutMs,
            signal: context.signal,
          })
          .catch((rollbackError: unknown) => {
            context.log(
              `the rollback's rollout did not finish: ${(rollbackError as Error).message}`,
            );
          });
        // The message says "rolled back" from outcome.rolledBackTo; the reason stays the failure itself.
        throw new DeployError('ROLLOUT_FAILED', error.message, { cause: error });
      }
    },
  };
}
