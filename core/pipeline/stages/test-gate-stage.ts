import { ProgramFailed, runProgram } from '../../adapters/run-program.js';
import { DeployError } from '../../domain/deploy-error.js';
import type { PipelineStage, StageContext } from '../pipeline-types.js';

async function run(context: StageContext, command: readonly string[], what: string): Promise<void> {
  const [file, ...args] = command;
  if (file === undefined) return;
  context.log(`$ ${command.join(' ')}`);
  try {
    await runProgram({
      file,
      args,
      cwd: context.outcome.sourceDir ?? context.workDir,
      env: context.programEnv,
      isolateEnv: true,
      signal: context.signal,
      onLine: context.log,
    });
  } catch (error) {
    if (!(error instanceof ProgramFailed)) throw error;
    const how =
      error.reason === 'exit-code'
        ? `exited with code ${error.result.exitCode}`
        : error.reason === 'not-found'
          ? `could not start: ${file} is not installed on the worker`
          : error.message;
    // Not retryable: the same tests on the same source fail the same way.
    throw new DeployError('TEST_FAILED', `${what} (${command.join(' ')}) ${how}`, { cause: error });
  }
}

/** The test gate: the catalog's install and test commands in the source tree. A failure stops the deploy. */
export function testGateStage(timeoutMs: number): PipelineStage {
  return {
    name: 'test',
    timeoutMs,
    async run(context) {
      const { install, command } = context.service.test;
      if (install) await run(context, install, 'installing test dependencies');
      await run(context, command, 'the tests');
      return 'tests passed';
    },
  };
}
