import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ManagedProcess {
  readonly name: string;
  readonly logFile: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  name: string;
  command: string;
  args: readonly string[];
  logFile: string;
  /** The child's whole environment (this process's when absent). */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Resolves true once the process serves; polled until `timeoutMs`. */
  ready: () => Promise<boolean>;
  timeoutMs?: number;
}

/** Starts a long-running program, waits until it is ready, and knows how to stop it. */
export async function startProcess(options: StartOptions): Promise<ManagedProcess> {
  // The log is handed to the child as a file descriptor: no pipe keeps the test runner alive.
  const log = openSync(options.logFile, 'a');
  const child: ChildProcess = spawn(options.command, options.args, {
    stdio: ['ignore', log, log],
    ...(options.env ? { env: options.env } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  closeSync(log);
  const state: { exitCode: number | null } = { exitCode: null };
  child.on('exit', (code) => {
    state.exitCode = code ?? -1;
  });
  const spawnError = new Promise<Error>((resolve) => child.on('error', resolve));

  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    const failure = await Promise.race([spawnError, sleep(100).then(() => undefined)]);
    if (failure) throw new Error(`${options.name} could not start: ${failure.message}`);
    if (state.exitCode !== null) {
      throw new Error(`${options.name} exited with code ${state.exitCode}; see ${options.logFile}`);
    }
    if (await options.ready().catch(() => false)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.name} did not become ready in time; see ${options.logFile}`);
    }
  }

  return {
    name: options.name,
    logFile: options.logFile,
    async stop() {
      if (state.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const patience = new AbortController();
      const stopped = await Promise.race([
        exited.then(() => true),
        sleep(15_000, false, { signal: patience.signal }).catch(() => false),
      ]);
      patience.abort();
      if (!stopped) child.kill('SIGKILL');
    },
  };
}
