import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { repoRoot } from './paths.js';

function parseLine(line: string): Record<string, unknown> {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { unparsed: line };
  }
}

export interface WorkerProcess {
  child: ChildProcess;
  port: number;
  /** Every JSON log line the process has printed so far, parsed. */
  logs: Record<string, unknown>[];
}

/**
 * The worker as its own process (`npm run worker`) with `env` (a harness's configuration),
 * answered once it serves its health endpoints, which it does after it takes jobs.
 */
export async function spawnWorkerProcess(
  env: Record<string, string>,
  options: {
    port?: number;
    /**
     * The product's 30 s by default. A busy machine pauses a process for seconds: with a lock of
     * 3 s a live worker lost its job to the stalled-job check. A test that kills a worker and
     * waits for its job to be resumed sets a shorter one, never under 15 s.
     */
    lockDurationMs?: number;
    env?: Record<string, string>;
    /** Its own process group: a test may kill it with the programs it runs (helm), as a pod dies. */
    detached?: boolean;
  } = {},
): Promise<WorkerProcess> {
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'worker', 'main.ts')], {
    cwd: repoRoot,
    env: {
      ...env,
      WORKER_PORT: String(port),
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/root',
      WORKER_LOCK_DURATION_MS: String(options.lockDurationMs ?? 30_000),
      LOG_LEVEL: 'info',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  const logs: Record<string, unknown>[] = [];
  // What it says before its logger exists (a configuration it refuses) goes to stderr.
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8000);
  });
  let partial = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() !== '') logs.push(parseLine(line));
    }
  });
  await new Promise<void>((resolve, reject) => {
    const onData = () => {
      if (logs.some((line) => line.msg === 'worker health endpoints serving')) {
        child.stdout.off('data', onData);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => {
      const printed = logs.map((line) => JSON.stringify(line)).join('\n');
      reject(
        new Error(`the worker exited (${String(code)}) before it started:\n${printed}\n${stderr}`),
      );
    });
  });
  return { child, port, logs };
}

/** SIGTERM, and the exit code once the process has ended. */
export async function stopWorkerProcess(worker: WorkerProcess): Promise<number | null> {
  if (worker.child.exitCode !== null) return worker.child.exitCode;
  const exited = new Promise<number | null>((resolve) => worker.child.once('exit', resolve));
  worker.child.kill('SIGTERM');
  return exited;
}
