import type { ProgramRequest, ProgramResult, ProgramRunner } from '../ports/program-runner.js';
import { ProgramFailed, runProgram } from './run-program.js';

/**
 * Runs programs as child processes of the worker (execa), with only the environment given. It
 * cannot isolate anything, so it refuses a request for a sandbox.
 */
export class HostProgramRunner implements ProgramRunner {
  async run(request: ProgramRequest): Promise<ProgramResult> {
    if (request.sandbox) {
      throw new Error('a sandboxed program cannot run on the worker: give it a container runner');
    }
    const [file, ...args] = request.command;
    try {
      const { exitCode, stdout } = await runProgram({
        file,
        args,
        ...(request.cwd === undefined ? {} : { cwd: request.cwd }),
        env: { ...request.env },
        isolateEnv: true,
        ...(request.timeoutMs === undefined ? {} : { timeoutMs: request.timeoutMs }),
        ...(request.signal ? { signal: request.signal } : {}),
        ...(request.onLine ? { onLine: request.onLine } : {}),
      });
      return { kind: 'exited', exitCode, stdout };
    } catch (error) {
      if (!(error instanceof ProgramFailed)) throw error;
      switch (error.reason) {
        case 'exit-code':
          return { kind: 'exited', exitCode: error.result.exitCode, stdout: error.result.stdout };
        case 'not-found':
          return { kind: 'not-found' };
        case 'timeout':
          return { kind: 'timed-out' };
        case 'cancelled':
          return { kind: 'cancelled' };
        case 'other':
          throw error;
      }
    }
  }
}
