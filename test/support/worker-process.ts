import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { DeployHarness } from './deploy-harness.js';
import { freePort } from './free-port.js';
import { repoRoot } from './paths.js';

/** The worker as its own process (`npm run worker`), with the harness's configuration, once it takes jobs. */
export async function spawnWorker(
  harness: DeployHarness,
  port?: number,
  options: { detached?: boolean } = {},
): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'worker', 'main.ts')], {
    cwd: repoRoot,
    env: {
      ...harness.env,
      WORKER_PORT: String(port ?? (await freePort())),
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/root',
      WORKER_LOCK_DURATION_MS: '3000',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'ignore'],
    // Its own process group: a test may kill it with the programs it runs (helm), as a pod dies.
    detached: options.detached ?? false,
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('"msg":"worker health endpoints serving"')) resolve();
    });
    child.once('exit', (code) => {
      reject(new Error(`the worker exited (${String(code)}) before it started:\n${output}`));
    });
  });
  child.stdout.resume();
  return child;
}
