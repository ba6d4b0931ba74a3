import type { DeployRequest } from '../domain/deploy-request.js';
import type { StagePosition } from '../domain/job-progress.js';
import { ProgressReporter } from '../reporting/progress-reporter.js';
import type { DeployDependencies } from './deploy-dependencies.js';

/**
 * Why no worker will finish a deploy: its workers stopped more often than a deploy is resumed, or
 * the worker failed in a way the deploy could not report itself (`detail`: already scrubbed).
 */
export type AbandonedBecause =
  { kind: 'workers-stopped' } | { kind: 'worker-error'; detail: string };

function reasonFor(why: AbandonedBecause): string {
  return why.kind === 'workers-stopped'
    ? 'the workers running this deploy stopped before it ended, more often than a deploy is resumed. Nothing more will run; deploy again when the workers are healthy.'
    : `the worker failed unexpectedly: ${why.detail}. Nothing more will run; deploy again, and tell whoever runs Harbormaster if it happens again.`;
}

/**
 * Ends the message of a deploy that no worker will finish, so that no channel is left with a
 * deploy "in progress" for ever.
 */
export async function endAbandonedDeploy(
  request: DeployRequest,
  position: StagePosition | undefined,
  deps: Pick<DeployDependencies, 'chat' | 'logger' | 'catalog' | 'clock'>,
  why: AbandonedBecause = { kind: 'workers-stopped' },
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
    reason: reasonFor(why),
  });
}
