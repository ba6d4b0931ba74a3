/**
 * One program run, as the stages ask for it. Nothing here assumes a host process: a sandbox
 * adapter can run the same request in a throwaway container, with `cwd` mounted there.
 */
export interface ProgramRequest {
  /** The program and its arguments, as a list: never a shell string. */
  command: readonly [string, ...string[]];
  /** The working directory (for a container: the directory mounted as its working directory). */
  cwd: string;
  /** The program's whole environment: nothing of the worker's own is added (it holds tokens). */
  env: Readonly<Record<string, string>>;
  /** Past it the program is stopped and the run ends as `timed-out`. */
  timeoutMs?: number;
  /** Aborting it stops the program; the run ends as `cancelled`. */
  signal?: AbortSignal;
  /** Each line of output, stdout and stderr interleaved, as it arrives. */
  onLine?: (line: string) => void;
}

/** How a run ended. A run that could not be attempted at all rejects instead. */
export type ProgramResult =
  /** It ran to its end: exit code 0 or not. `stdout` is its standard output, for small answers. */
  | { kind: 'exited'; exitCode: number; stdout: string }
  /** The program does not exist where it would run (not installed, not in the image). */
  | { kind: 'not-found' }
  | { kind: 'timed-out' }
  | { kind: 'cancelled' };

/** Runs programs for the pipeline: git for the source, the service's own test commands. */
export interface ProgramRunner {
  run(request: ProgramRequest): Promise<ProgramResult>;
}
