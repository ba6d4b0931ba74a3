import type { StageName } from '../domain/stages.js';
import type { RunPipelineOptions } from './runner.js';
import type { Stage, StageOutputs } from './stage.js';

/** How long discarding what one stage left behind may take. */
const DISCARD_MS = 60_000;

function unused(stage: Stage, stages: readonly Stage[], started: ReadonlySet<StageName>) {
  return !stages.some((other) => other.needs.includes(stage.name) && started.has(other.name));
}

/**
 * After a failed deploy: every stage that finished, but whose output no stage went on to use,
 * discards what it left behind (an image pushed while the test gate failed is deleted). It runs
 * after a cancel too, so it has a signal of its own; a failure is logged, never the deploy's.
 */
export async function discardUnused(
  options: RunPipelineOptions,
  started: ReadonlySet<StageName>,
  skipped: ReadonlySet<StageName>,
  outputs: Partial<StageOutputs>,
): Promise<void> {
  for (const stage of options.stages) {
    const output = outputs[stage.name];
    if (stage.discard === undefined || output === undefined || skipped.has(stage.name)) continue;
    if (!unused(stage, options.stages, started)) continue;
    const log = (line: string) => options.onLine?.(stage.name, options.scrubber.scrub(line));
    const signal = AbortSignal.timeout(DISCARD_MS);
    const context = {
      ...options.context,
      timeoutMs: DISCARD_MS,
      signal,
      cancelSignal: signal,
      log,
    };
    await stage.discard(context, output).catch((error: unknown) => {
      log(`could not discard what ${stage.name} left: ${(error as Error).message}`);
    });
  }
}
