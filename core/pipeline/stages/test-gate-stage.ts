import { DeployError } from '../../domain/deploy-error.js';
import { formatTimeLimit } from '../../domain/duration.js';
import { MIB, SANDBOX_WORKSPACE } from '../../domain/test-gate.js';
import type { ProgramResult, ProgramRunner } from '../../ports/program-runner.js';
import type { Stage, StageContext } from '../stage.js';
import { buildTestImage, type TestImageOptions } from './test-image.js';

export interface TestGateOptions extends TestImageOptions {
  /** The sandbox: a runner that runs each program in a throwaway container. */
  runner: ProgramRunner;
}

/** Past the gate's own time limit, how long the runner lets it remove what it made. */
const CLEANUP_MS = 30_000;

/** The gate's own clock: the time limit covers the test image's build and the tests. */
function deadline(context: StageContext) {
  const controller = new AbortController();
  const started = Date.now();
  const timer = setTimeout(() => {
    controller.abort();
  }, context.timeoutMs);
  const signal = AbortSignal.any([controller.signal, context.signal]);
  return {
    signal,
    timedOut: () => controller.signal.aborted,
    remainingMs: () => Math.max(1, context.timeoutMs - (Date.now() - started)),
    clear: () => {
      clearTimeout(timer);
    },
  };
}

/** The keys of the catalog a message names, instead of any command line. */
function key(context: StageContext, name: string): string {
  return `services.${context.service.name}.test.${name}`;
}

function stoppedAt(context: StageContext, what: string): DeployError {
  return new DeployError(
    'TIMEOUT',
    `${what} stopped after ${formatTimeLimit(context.timeoutMs)}, the test gate's time limit (${key(context, 'timeoutSeconds')})`,
  );
}

/** A failed run, as a person reads it: what ended it, and which limit, by its catalog key. */
function failure(context: StageContext, result: Exclude<ProgramResult, { exitCode: 0 }>) {
  const tests = `the tests (${key(context, 'command')})`;
  const { limits } = context.service.test;
  switch (result.kind) {
    case 'exited':
      return new DeployError(
        'TEST_FAILED',
        `${tests} exited with code ${result.exitCode}${result.exitCode === 127 ? ': the program is not in the test image' : ''}`,
      );
    case 'not-found':
      return new DeployError(
        'TEST_FAILED',
        `${tests} could not start: the program is not in the test image`,
      );
    case 'out-of-memory':
      return new DeployError(
        'TEST_FAILED',
        `${tests} ran out of memory: the sandbox's limit is ${Math.round(limits.memoryBytes / MIB)} MiB (${key(context, 'limits.memoryMiB')})`,
      );
    case 'timed-out':
      return stoppedAt(context, `${tests} were`);
    case 'cancelled':
      return new DeployError('CANCELLED', 'the deploy was cancelled during the tests');
  }
}

async function runTests(
  options: TestGateOptions,
  context: StageContext,
  image: string,
  clock: ReturnType<typeof deadline>,
): Promise<void> {
  const gate = context.service.test;
  const { limits } = gate;
  context.log(
    `running ${key(context, 'command')} in a sandbox: ${Math.round(limits.memoryBytes / MIB)} MiB memory, ${limits.cpus} CPU, ${limits.pids} processes, ${Math.round(limits.tmpBytes / MIB)} MiB /tmp, network ${gate.network}`,
  );
  const [file, ...args] = gate.command;
  if (file === undefined) return;
  const result = await options.runner.run({
    command: [file, ...args],
    ...(gate.runsIn.kind === 'image' ? { cwd: SANDBOX_WORKSPACE } : {}),
    env: { CI: 'true', HOME: '/tmp', ...gate.env },
    sandbox: { image, network: gate.network, limits },
    timeoutMs: clock.remainingMs(),
    signal: context.signal,
    onLine: context.log,
  });
  if (result.kind === 'exited' && result.exitCode === 0) return;
  throw failure(context, result);
}

/**
 * The test gate: the service's tests, in a throwaway container made from its own build (a
 * Dockerfile stage, or the catalog's image with the source copied in), never on the worker. A
 * failure stops the deploy; the container and the test image are gone when the stage ends.
 */
export function testGateStage(options: TestGateOptions): Stage<'test', 'source'> {
  return {
    name: 'test',
    needs: ['source'],
    limitMs: (timeoutMs) => timeoutMs + CLEANUP_MS,
    skip: ({ source }) =>
      source.reusable && {
        output: { passed: true },
        summary: `passed at ${source.reusable.testedAt}`,
      },
    async run(context, { source }) {
      const clock = deadline(context);
      try {
        const image = await buildTestImage(options, context, source, clock.signal).catch(
          (error: unknown) => {
            if (clock.timedOut()) throw stoppedAt(context, 'building the test image was');
            if (context.signal.aborted) throw error;
            const said = (error as Error).message.replace(/^docker build failed: /, '');
            throw new DeployError('TEST_FAILED', `could not build the test image: ${said}`, {
              cause: error,
            });
          },
        );
        try {
          await runTests(options, context, image, clock);
        } finally {
          await options.builder.remove(image).catch((error: unknown) => {
            context.log(`could not remove the test image: ${(error as Error).message}`);
          });
        }
      } finally {
        clock.clear();
      }
      return {
        output: { passed: true, passedAt: new Date().toISOString() },
        summary: 'tests passed',
      };
    },
  };
}
