import { DeployError, isDeployError } from '../domain/deploy-error.js';
import { formatTimeLimit } from '../domain/duration.js';
import { SecretScrubber } from '../domain/secret-scrubber.js';
import { STAGE_FAILURE, STAGE_TITLES, type StageName } from '../domain/stages.js';
import { LogBuffer } from './log-buffer.js';
import type {
  PipelineEvent,
  PipelineResult,
  Stage,
  StageContext,
  StageDone,
  StageOutputs,
} from './stage.js';

export interface RunPipelineOptions {
  /** In the order they run; each after the stages it needs. */
  stages: readonly Stage[];
  context: Omit<StageContext, 'signal' | 'cancelSignal' | 'log' | 'timeoutMs'>;
  /** Each stage's time limit. */
  timeouts: Readonly<Record<StageName, number>>;
  /** Cancels the whole deploy (worker shutdown, job removed). */
  signal: AbortSignal;
  scrubber: SecretScrubber;
  onEvent: (event: PipelineEvent) => void;
  /** Every output line, already scrubbed, e.g. to the structured log. */
  onLine?: (stage: StageName, line: string) => void;
  now?: () => Date;
}

/** A list whose stages do not follow what they need is a programming error: refuse it whole. */
function checkOrder(stages: readonly Stage[]): void {
  const before = new Set<StageName>();
  for (const stage of stages) {
    const missing = stage.needs.filter((need) => !before.has(need));
    if (missing.length > 0) {
      throw new Error(`stage ${stage.name} needs ${missing.join(', ')}, which must run before it`);
    }
    before.add(stage.name);
  }
}

function inputsOf(stage: Stage, outputs: Partial<StageOutputs>): Pick<StageOutputs, StageName> {
  // checkOrder put every need before the stage, and a failed need stopped the pipeline.
  return Object.fromEntries(stage.needs.map((need) => [need, outputs[need]])) as Pick<
    StageOutputs,
    StageName
  >;
}

function keep<N extends StageName>(
  outputs: Partial<StageOutputs>,
  name: N,
  output: StageOutputs[N],
) {
  outputs[name] = output;
}

/** Runs one stage under its time limit and the deploy's cancel signal. */
async function runStage(
  stage: Stage,
  options: RunPipelineOptions,
  inputs: Pick<StageOutputs, StageName>,
  log: (line: string) => void,
): Promise<StageDone<StageName>> {
  const timeoutMs = options.timeouts[stage.name];
  const limitMs = stage.limitMs?.(timeoutMs) ?? timeoutMs;
  const title = STAGE_TITLES[stage.name];
  const controller = new AbortController();
  const timeout = new DeployError(
    'TIMEOUT',
    `${title} took longer than ${formatTimeLimit(limitMs)}`,
  );
  const cancelled = new DeployError('CANCELLED', `the deploy was cancelled during ${title}`);
  const timer = setTimeout(() => {
    controller.abort(timeout);
  }, limitMs);
  const onCancel = () => {
    controller.abort(cancelled);
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
    if (!controller.signal.aborted) controller.abort(cancelled);
  }
}

/**
 * Runs the stages in order. It owns what every stage needs: a time limit, cancellation, bounded
 * and scrubbed log capture, progress events, typed hand-over of outputs, and turning any
 * failure into a DeployError of its stage. The first failure stops the deploy.
 */
export async function runPipeline(options: RunPipelineOptions): Promise<PipelineResult> {
  checkOrder(options.stages);
  const now = options.now ?? (() => new Date());
  const { scrubber } = options;
  const outputs: Partial<StageOutputs> = {};
  for (const stage of options.stages) {
    const buffer = new LogBuffer();
    const log = (line: string) => {
      const clean = scrubber.scrub(line);
      buffer.push(clean);
      options.onLine?.(stage.name, clean);
    };
    options.onEvent({ type: 'stage-started', stage: stage.name, at: now() });
    try {
      const done = await runStage(stage, options, inputsOf(stage, outputs), log);
      keep(outputs, stage.name, done.output);
      const summary = done.summary === undefined ? {} : { summary: scrubber.scrub(done.summary) };
      options.onEvent({ type: 'stage-finished', stage: stage.name, at: now(), ...summary });
    } catch (caught) {
      const error = caught as DeployError;
      const scrubbed = new DeployError(error.code, scrubber.scrub(error.message), {
        cause: error,
        releaseRemoved: error.releaseRemoved,
        ...(error.rolledBackToRevision === undefined
          ? {}
          : { rolledBackToRevision: error.rolledBackToRevision }),
      });
      const text = buffer.text();
      options.onEvent({
        type: 'stage-failed',
        stage: stage.name,
        at: now(),
        error: scrubbed,
        log: text,
      });
      return { ok: false, stage: stage.name, error: scrubbed, log: text, outputs };
    }
  }
  return { ok: true, outputs };
}

/** Any failure of a stage's work as that stage's DeployError. */
export function asStageError(stage: StageName, error: unknown): DeployError {
  if (isDeployError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new DeployError(STAGE_FAILURE[stage], message, { cause: error });
}
