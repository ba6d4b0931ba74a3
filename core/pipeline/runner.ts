import { DeployError, isDeployError, type ErrorCode } from '../domain/deploy-error.js';
import { formatTimeLimit } from '../domain/duration.js';
import { STAGE_TITLES, type StageName } from '../domain/stages.js';
import { LogBuffer } from './log-buffer.js';
import type {
  PipelineEvent,
  PipelineResult,
  PipelineStage,
  StageContext,
} from './pipeline-types.js';
import type { SecretScrubber } from './secret-scrubber.js';

/** The code a stage's unexpected failure gets, so every failure is explained by its stage. */
const STAGE_FAILURE: Record<StageName, ErrorCode> = {
  source: 'SOURCE_FAILED',
  test: 'TEST_FAILED',
  build: 'BUILD_FAILED',
  push: 'PUSH_FAILED',
  deploy: 'HELM_FAILED',
  verify: 'ROLLOUT_FAILED',
  report: 'CLUSTER_UNAVAILABLE',
};

export interface RunPipelineOptions {
  stages: readonly PipelineStage[];
  context: Omit<StageContext, 'signal' | 'log'>;
  /** Cancels the whole deploy (worker shutdown, job removed). */
  signal: AbortSignal;
  scrubber: SecretScrubber;
  onEvent: (event: PipelineEvent) => void;
  /** Every output line, already scrubbed, e.g. to the structured log. */
  onLine?: (stage: StageName, line: string) => void;
  now?: () => Date;
}

/**
 * Runs the stages in order. It owns what every stage needs: a timeout, cancellation, bounded and
 * scrubbed log capture, progress events, and turning any failure into a DeployError of its stage.
 * The first failure stops the deploy.
 */
export async function runPipeline(options: RunPipelineOptions): Promise<PipelineResult> {
  const now = options.now ?? (() => new Date());
  const { outcome } = options.context;

  for (const stage of options.stages) {
    const buffer = new LogBuffer();
    const controller = new AbortController();
    const timeout = new DeployError(
      'TIMEOUT',
      `${STAGE_TITLES[stage.name]} took longer than ${formatTimeLimit(stage.timeoutMs)}`,
    );
    const cancelled = new DeployError(
      'CANCELLED',
      `the deploy was cancelled during ${STAGE_TITLES[stage.name]}`,
    );
    const timer = setTimeout(() => {
      controller.abort(timeout);
    }, stage.timeoutMs);
    const onCancel = () => {
      controller.abort(cancelled);
    };
    if (options.signal.aborted) onCancel();
    else options.signal.addEventListener('abort', onCancel, { once: true });
    const aborted = new Promise<never>((_, reject) => {
      const fail = () => {
        reject(controller.signal.reason as Error);
      };
      if (controller.signal.aborted) fail();
      else controller.signal.addEventListener('abort', fail, { once: true });
    });
    aborted.catch(() => undefined);

    options.onEvent({ type: 'stage-started', stage: stage.name, at: now() });
    const log = (line: string) => {
      const clean = options.scrubber.scrub(line);
      buffer.push(clean);
      options.onLine?.(stage.name, clean);
    };
    try {
      const summary = await Promise.race([
        stage.run({ ...options.context, signal: controller.signal, log }),
        aborted,
      ]);
      options.onEvent({
        type: 'stage-finished',
        stage: stage.name,
        at: now(),
        ...(summary ? { summary: options.scrubber.scrub(summary) } : {}),
      });
    } catch (caught) {
      const error = asStageError(
        stage.name,
        controller.signal.aborted ? controller.signal.reason : caught,
      );
      const scrubbed = new DeployError(error.code, options.scrubber.scrub(error.message), {
        cause: error,
      });
      const text = buffer.text();
      options.onEvent({
        type: 'stage-failed',
        stage: stage.name,
        at: now(),
        error: scrubbed,
        log: text,
      });
      return { ok: false, stage: stage.name, error: scrubbed, log: text, outcome };
    } finally {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onCancel);
      if (!controller.signal.aborted) controller.abort(cancelled);
    }
  }
  return { ok: true, outcome };
}

function asStageError(stage: StageName, error: unknown): DeployError {
  if (isDeployError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new DeployError(STAGE_FAILURE[stage], message, { cause: error });
}
