import type { StagePosition } from '../domain/job-progress.js';
import type { StageName } from '../domain/stages.js';
import type { PipelineEvent } from '../pipeline/stage.js';
import type { ProgressReporter } from '../reporting/progress-reporter.js';
import type { DeployMeasures } from './deploy-measures.js';

/** One pipeline event, told to whoever follows the deploy: the job, the metrics, the message. */
export function tellEvent(
  event: PipelineEvent,
  to: {
    /** The stages finished so far (the job records them with the one running). */
    done: StageName[];
    onStage?: ((position: StagePosition) => void) | undefined;
    measures: DeployMeasures;
    reporter: ProgressReporter;
  },
): void {
  if (event.type === 'stage-started') to.onStage?.({ stage: event.stage, done: [...to.done] });
  if (event.type === 'stage-finished') to.done.push(event.stage);
  to.measures.onEvent(event);
  to.reporter.report({ type: event.type, stage: event.stage });
  if ('note' in event && event.note !== undefined) {
    to.reporter.report({ type: 'note', note: event.note });
  }
}
