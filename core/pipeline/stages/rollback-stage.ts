import { releaseOf } from '../../domain/catalog.js';
import { DeployError } from '../../domain/deploy-error.js';
import { chooseRollbackTarget } from '../../domain/rollback-target.js';
import type { Helm } from '../../ports/helm.js';
import type { Stage } from '../stage.js';
import { cancelledBefore, cancelRequested, undoRelease } from './undo-release.js';

export interface RollbackStageOptions {
  helm: Helm;
  /** Revisions whose deploy did not succeed (our history knows; helm calls them superseded). */
  unsuccessfulRevisions: () => Promise<ReadonlySet<number>>;
}

/** The image a revision ran, from the values it was installed with: `repository:tag`. */
export function imageOfValues(values: Record<string, unknown>): string | undefined {
  const image = values.image;
  if (typeof image !== 'object' || image === null) return undefined;
  const { repository, tag } = image as Record<string, unknown>;
  if (typeof repository !== 'string') return undefined;
  return typeof tag === 'string' && tag !== '' ? `${repository}:${tag}` : repository;
}

/**
 * A rollback's helm step, in the Deploy stage's place: `helm rollback` to the revision asked
 * for, or to the latest earlier one that succeeded. Its rollout is then followed by Verify.
 */
export function rollbackStage(options: RollbackStageOptions): Stage<'deploy', never> {
  return {
    name: 'deploy',
    needs: [],
    finishesOnCancel: true,
    async run(context) {
      const release = releaseOf(context.service, context.environment);
      const history = await options.helm.history(release);
      const choice = chooseRollbackTarget(
        history,
        await options.unsuccessfulRevisions(),
        context.request.revision,
      );
      if (!choice.ok) {
        throw new DeployError(
          'HELM_FAILED',
          `${release.release} cannot be rolled back: ${choice.reason}`,
        );
      }
      if (cancelRequested(context)) throw cancelledBefore('deploy');
      const revision = await options.helm.rollback({
        ...release,
        revision: choice.target,
        timeoutMs: context.timeoutMs,
        signal: context.signal,
        onLine: context.log,
      });
      if (cancelRequested(context)) {
        throw await undoRelease(options.helm, context, 'deploy', choice.current);
      }
      const image = imageOfValues(await options.helm.values(release, choice.target));
      return {
        output: {
          revision,
          previousRevision: choice.current,
          restoredRevision: choice.target,
          ...(image === undefined ? {} : { image }),
        },
        summary: `revision ${revision}: back to revision ${choice.target}${image === undefined ? '' : ` (${image})`}`,
      };
    },
  };
}
