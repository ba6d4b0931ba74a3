import { execa, ExecaError } from 'execa';

export interface ProgramRun {
  file: string;
  /** Arguments as a list: never a shell string, so no text is ever parsed by a shell. */
  args: readonly string[];
  cwd?: string;
  env?: Record<string, string>;
  /** Run with `env` only, not the worker's own environment (which holds its tokens). */
  isolateEnv?: boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Each line of output, stdout and stderr interleaved, as it arrives. */
  onLine?: (line: string) => void;
}

export interface ProgramResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export type FailureReason = 'exit-code' | 'timeout' | 'cancelled' | 'not-found' | 'other';

export class ProgramFailed extends Error {
  constructor(
    message: string,
    readonly reason: FailureReason,
    readonly result: ProgramResult,
    options: { cause: unknown },
  ) {
    super(message, options);
    this.name = 'ProgramFailed';
  }
}

/** Runs a program to completion; a non-zero exit, a timeout or a cancel rejects with ProgramFailed. */
export async function runProgram(run: ProgramRun): Promise<ProgramResult> {
  try {
    const subprocess = execa(run.file, run.args, {
      ...(run.cwd ? { cwd: run.cwd } : {}),
      ...(run.env ? { env: run.env } : {}),
      ...(run.isolateEnv ? { extendEnv: false } : {}),
      ...(run.timeoutMs ? { timeout: run.timeoutMs } : {}),
      ...(run.signal ? { cancelSignal: run.signal } : {}),
      stdin: 'ignore',
      all: true,
      forceKillAfterDelay: 5000,
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.onLine) {
      const onLine = run.onLine;
      for await (const line of subprocess.iterable({ from: 'all' })) onLine(line);
    }
    const result = await subprocess;
    return { exitCode: result.exitCode ?? 0, stdout: result.stdout, stderr: result.stderr };
  } catch (error) {
    if (!(error instanceof ExecaError)) throw error;
    const stdout = typeof error.stdout === 'string' ? error.stdout : '';
    const stderr = typeof error.stderr === 'string' ? error.stderr : '';
    const reason: FailureReason = error.timedOut
      ? 'timeout'
      : error.isCanceled
        ? 'cancelled'
        : error.code === 'ENOENT'
          ? 'not-found'
          : error.exitCode !== undefined
            ? 'exit-code'
            : 'other';
    // Not execa's message: it holds the whole command line, which may name a URL or a path that
    // nobody reading an error should see.
    const said = error.exitCode === undefined ? reason : `exit code ${error.exitCode}`;
    throw new ProgramFailed(
      `${run.file} failed (${said})`,
      reason,
      { exitCode: error.exitCode ?? -1, stdout, stderr },
      { cause: error },
    );
  }
}

/** The last lines of a program's output, for a message a person reads. */
export function tail(text: string, lines = 20): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
