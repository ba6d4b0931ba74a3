import { DeployError, isDeployError } from '../domain/deploy-error.js';
import { formatTimeLimit } from '../domain/duration.js';
import { STAGE_FAILURE, STAGE_TITLES, type StageName } from '../domain/stages.js';
import type { Stage, StageContext, StageDone, StageOutputs } from './stage.js';

/** What running one stage takes from the pipeline. */
export interface StageRunOptions {
  context: Omit<StageContext, 'signal' | 'cancelSignal' | 'log' | 'timeoutMs'>;
  timeouts: Readonly<Record<StageName, number>>;
  /** Stops the stage: the deploy cancelled, or a stage running alongside it failed. */
  signal: AbortSignal;
}

/** Runs one stage under its time limit and the deploy's cancel signal. */
export async function runStage(
  stage: Stage,
  options: StageRunOptions,
  inputs: Pick<StageOutputs, StageName>,
  log: (line: string) => void,
): Promise<StageDone<StageName>> {
  const timeoutMs = options.timeouts[stage.name];
  const limitMs = stage.limitMs?.(timeoutMs) ?? timeoutMs;
  const title = STAGE_TITLES[stage.name];
  const controller = new AbortController();
  // The timeout error is made only when needed: it captures a stack, and most stages end in time.
  const timer = setTimeout(() => {
    controller.abort(
      new DeployError('TIMEOUT', `${title} took longer than ${formatTimeLimit(limitMs)}`),
    );
  }, limitMs);
  const onCancel = () => {
    controller.abort(new DeployError('CANCELLED', `the deploy was cancelled during ${title}`));
  };
  // A stage that finishes on cancel is not stopped by one: it reads `cancelSignal` itself.
  const stoppedByCancel = stage.finishesOnCancel !== true;
  if (stoppedByCancel && options.signal.aborted) onCancel();
  else if (stoppedByCancel) options.signal.addEventListener('abort', onCancel, { once: true });
  const aborted = new Promise<never>((_, reject) => {
    const fail = () => {
      reject(controller.signal.reason as Error);
    };
    if (controller.signal.aborted) fail();
    else controller.signal.addEventListener('abort', fail, { once: true });
  });
  aborted.catch(() => undefined);
  try {
    const context = {
      ...options.context,
      timeoutMs,
      signal: controller.signal,
      cancelSignal: options.signal,
      log,
    };
    return await Promise.race([stage.run(context, inputs), aborted]);
  } catch (caught) {
    throw asStageError(stage.name, controller.signal.aborted ? controller.signal.reason : caught);
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', onCancel);
    if (!controller.signal.aborted) onCancel();
  }
}

/** Any failure of a stage's work as that stage's DeployError. */
export function asStageError(stage: StageName, error: unknown): DeployError {
  if (isDeployError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new DeployError(STAGE_FAILURE[stage], message, { cause: error });
}
