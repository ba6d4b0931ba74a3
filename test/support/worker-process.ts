import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { BotHarness } from './bot-harness.js';
import { freePort } from './free-port.js';
import { repoRoot } from './paths.js';

/**
 * The worker as its own process (`npm run worker`), with the harness's configuration, resolved
 * once it takes jobs. Its log lines are kept in `output` (read it when a test fails).
 */
export async function spawnWorker(
  harness: Pick<BotHarness, 'env'>,
  options: { port?: number; env?: Record<string, string> } = {},
): Promise<ChildProcess & { output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'worker', 'main.ts')], {
    cwd: repoRoot,
    env: {
      ...harness.env,
      WORKER_PORT: String(options.port ?? (await freePort())),
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/root',
      WORKER_LOCK_DURATION_MS: '3000',
      LOG_LEVEL: 'info',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  await new Promise<void>((resolve, reject) => {
    const started = () => {
      if (output.includes('"msg":"worker health endpoints serving"')) {
        child.stdout.off('data', started);
        child.off('exit', exited);
        resolve();
      }
    };
    const exited = (code: number | null) => {
      reject(new Error(`the worker exited (${String(code)}) before it started:\n${output}`));
    };
    child.stdout.on('data', started);
    child.once('exit', exited);
  });
  return Object.assign(child, { output: () => output });
}
