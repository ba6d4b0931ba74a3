import type { DeployRequest } from '../domain/deploy-request.js';
import type { StagePosition } from '../domain/job-progress.js';
import { ProgressReporter } from '../reporting/progress-reporter.js';
import type { DeployDependencies } from './deploy-dependencies.js';

/**
 * Ends the message of a deploy that no worker will finish (its workers stopped more often than a
 * deploy is resumed), so that no channel is left with a deploy "in progress" for ever.
 */
export async function endAbandonedDeploy(
  request: DeployRequest,
  position: StagePosition | undefined,
  deps: Pick<DeployDependencies, 'chat' | 'logger' | 'catalog' | 'clock'>,
): Promise<void> {
  const { notifications } = deps.catalog;
  const reporter = new ProgressReporter({
    chat: deps.chat,
    request,
    logger: deps.logger.child({ jobId: request.id }),
    ...(notifications ? { notifications } : {}),
    ...(deps.clock ? { clock: deps.clock } : {}),
  });
  for (const stage of position?.done ?? []) {
    reporter.report({ type: 'stage-started', stage });
    reporter.report({ type: 'stage-finished', stage });
  }
  await reporter.finish({
    type: 'failed',
    stage: position?.stage ?? 'source',
    reason:
      'the workers running this deploy stopped before it ended, more often than a deploy is resumed. Nothing more will run; deploy again when the workers are healthy.',
  });
}
