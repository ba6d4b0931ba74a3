import { DeployError } from '../../domain/deploy-error.js';
import type { ProgramRunner } from '../../ports/program-runner.js';
import type { Stage, StageContext } from '../stage.js';

async function run(
  runner: ProgramRunner,
  context: StageContext,
  cwd: string,
  command: readonly string[],
  what: string,
): Promise<void> {
  const [file, ...args] = command;
  if (file === undefined) return;
  context.log(`$ ${command.join(' ')}`);
  const result = await runner.run({
    command: [file, ...args],
    cwd,
    env: context.programEnv,
    signal: context.signal,
    onLine: context.log,
  });
  if (result.kind === 'exited' && result.exitCode === 0) return;
  const how =
    result.kind === 'exited'
      ? `exited with code ${result.exitCode}`
      : result.kind === 'not-found'
        ? `could not start: ${file} is not installed on the worker`
        : result.kind === 'timed-out'
          ? 'timed out'
          : 'was cancelled';
  // Not retryable: the same tests on the same source fail the same way.
  throw new DeployError('TEST_FAILED', `${what} (${command.join(' ')}) ${how}`);
}

/** The test gate: the catalog's install and test commands in the source tree. A failure stops the deploy. */
export function testGateStage(options: { runner: ProgramRunner }): Stage<'test', 'source'> {
  return {
    name: 'test',
    needs: ['source'],
    async run(context, { source }) {
      const { install, command } = context.service.test;
      if (install)
        await run(options.runner, context, source.dir, install, 'installing test dependencies');
      await run(options.runner, context, source.dir, command, 'the tests');
      return { output: { passed: true }, summary: 'tests passed' };
    },
  };
}
