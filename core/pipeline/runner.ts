import { DeployError } from '../domain/deploy-error.js';
import { SecretScrubber } from '../domain/secret-scrubber.js';
import type { StageName } from '../domain/stages.js';
import { discardUnused } from './discard-unused.js';
import { LogBuffer } from './log-buffer.js';
import { runStage } from './run-stage.js';
import type {
  PipelineEvent,
  PipelineResult,
  Stage,
  StageContext,
  StageDone,
  StageOutputs,
} from './stage.js';

export interface RunPipelineOptions {
  /** In the order they are listed to people; each after the stages it needs. */
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
  // A stage starts only once every stage it needs has handed on its output.
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

/** An event before the runner stamps its time. */
type Unstamped = PipelineEvent extends infer E
  ? E extends unknown
    ? Omit<E, 'at'>
    : never
  : never;

type Settled =
  | { stage: Stage; ok: true; done: StageDone<StageName> }
  | { stage: Stage; ok: false; error: DeployError; log: string };

/** One run of the pipeline: what has ended, what is running, and the first failure. */
class PipelineRun {
  readonly outputs: Partial<StageOutputs> = {};
  readonly started = new Set<StageName>();
  /** Skipped: their outputs are earlier deploys' work, never this one's to discard. */
  readonly skipped = new Set<StageName>();
  readonly running = new Map<StageName, Promise<Settled>>();
  failure: Extract<Settled, { ok: false }> | undefined;
  /** Stops the stages still running once one has failed. */
  readonly halt = new AbortController();
  private readonly now: () => Date;

  constructor(readonly options: RunPipelineOptions) {
    this.now = options.now ?? (() => new Date());
  }

  event(event: Unstamped): void {
    this.options.onEvent({ ...event, at: this.now() });
  }

  /** Every stage whose needs have all handed on, in the list's order: skipped, or started. */
  startReady(): void {
    for (const stage of this.options.stages) {
      if (this.started.has(stage.name) || this.failure !== undefined) continue;
      if (!stage.needs.every((need) => this.outputs[need] !== undefined)) continue;
      this.started.add(stage.name);
      const inputs = inputsOf(stage, this.outputs);
      const skipped = stage.skip?.(inputs);
      if (skipped !== undefined) {
        keep(this.outputs, stage.name, skipped.output);
        this.skipped.add(stage.name);
        // Stages that need this one come after it in the list: this loop reaches them.
        this.event({ type: 'stage-skipped', stage: stage.name, ...this.told(skipped) });
        continue;
      }
      this.event({ type: 'stage-started', stage: stage.name });
      this.running.set(stage.name, this.settle(stage, inputs));
    }
  }

  /** What a stage's end tells: its summary, scrubbed, and its note. */
  private told({ summary, note }: StageDone<StageName>) {
    return {
      ...(summary === undefined ? {} : { summary: this.options.scrubber.scrub(summary) }),
      ...(note === undefined ? {} : { note }),
    };
  }

  private async settle(stage: Stage, inputs: Pick<StageOutputs, StageName>): Promise<Settled> {
    const { scrubber } = this.options;
    const buffer = new LogBuffer();
    const log = (line: string) => {
      const clean = scrubber.scrub(line);
      buffer.push(clean);
      this.options.onLine?.(stage.name, clean);
    };
    const signal = AbortSignal.any([this.options.signal, this.halt.signal]);
    try {
      const done = await runStage(stage, { ...this.options, signal }, inputs, log);
      return { stage, ok: true, done };
    } catch (caught) {
      const error = caught as DeployError;
      const scrubbed = new DeployError(error.code, scrubber.scrub(error.message), {
        cause: error,
        releaseRemoved: error.releaseRemoved,
        ...(error.rolledBackToRevision === undefined
          ? {}
          : { rolledBackToRevision: error.rolledBackToRevision }),
      });
      return { stage, ok: false, error: scrubbed, log: buffer.text() };
    }
  }

  /** One stage's end: its output kept, or the deploy's first failure (the rest are stopped). */
  ended(settled: Settled): void {
    const { name } = settled.stage;
    this.running.delete(name);
    if (this.failure !== undefined) {
      if (settled.ok) keep(this.outputs, name, settled.done.output);
      this.event({ type: 'stage-stopped', stage: name });
    } else if (settled.ok) {
      keep(this.outputs, name, settled.done.output);
      this.event({ type: 'stage-finished', stage: name, ...this.told(settled.done) });
    } else {
      this.failure = settled;
      const { error, log } = settled;
      this.event({ type: 'stage-failed', stage: name, error, log });
      this.halt.abort();
    }
  }
}

/**
 * Runs the stages, each as soon as the stages it needs have handed on their output, so that
 * stages that do not need each other overlap (the test gate alongside the image's build and
 * push; the helm upgrade needs all three). It owns what every stage needs: a time limit,
 * cancellation, bounded and scrubbed log capture, progress events, typed hand-over of outputs,
 * and turning any failure into a DeployError of its stage. The first failure stops the stages
 * still running and ends the deploy; what finished but was never used is then discarded.
 */
export async function runPipeline(options: RunPipelineOptions): Promise<PipelineResult> {
  checkOrder(options.stages);
  const run = new PipelineRun(options);
  run.startReady();
  while (run.running.size > 0) {
    run.ended(await Promise.race(run.running.values()));
    run.startReady();
  }
  const { failure, outputs } = run;
  if (failure === undefined) return { ok: true, outputs };
  await discardUnused(options, run.started, run.skipped, outputs);
  const { error, log } = failure;
  return { ok: false, stage: failure.stage.name, error, log, outputs };
}
