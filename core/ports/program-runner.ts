import type { SandboxLimits } from '../domain/test-gate.js';

/** A throwaway container to run a program in, instead of the worker itself. */
export interface SandboxRequest {
  /** The image whose file system the program sees (read-only, but for a size-limited /tmp). */
  image: string;
  /** `default`: the runner's network for sandboxes; `none`: no network at all. */
  network: 'default' | 'none';
  limits: SandboxLimits;
}

/**
 * One program run, as the stages ask for it: on the worker (git for the source), or, with
 * `sandbox`, in a throwaway container (the service's tests). A runner that cannot give the
 * isolation asked for refuses the request rather than run it without.
 */
export interface ProgramRequest {
  /** The program and its arguments, as a list: never a shell string. */
  command: readonly [string, ...string[]];
  /** The working directory: on the worker, a directory of its own; in a sandbox, one of the image (its WORKDIR when absent). */
  cwd?: string;
  /** The program's whole environment: nothing of the worker's own is added (it holds tokens). */
  env: Readonly<Record<string, string>>;
  /** Past it the program is stopped and the run ends as `timed-out`. */
  timeoutMs?: number;
  /** Aborting it stops the program; the run ends as `cancelled`. */
  signal?: AbortSignal;
  /** Each line of output, stdout and stderr interleaved, as it arrives. */
  onLine?: (line: string) => void;
  sandbox?: SandboxRequest;
}

/** How a run ended. A run that could not be attempted at all rejects instead. */
export type ProgramResult =
  /** It ran to its end: exit code 0 or not. `stdout` is its standard output, for small answers. */
  | { kind: 'exited'; exitCode: number; stdout: string }
  /** The program does not exist where it would run (not installed, not in the image). */
  | { kind: 'not-found' }
  /** A sandbox's program (or one it started) was killed for going past the memory limit. */
  | { kind: 'out-of-memory' }
  | { kind: 'timed-out' }
  | { kind: 'cancelled' };

/** Runs programs for the pipeline: git for the source, the service's own test commands. */
export interface ProgramRunner {
  run(request: ProgramRequest): Promise<ProgramResult>;
}
