import { rmSync } from 'node:fs';
import { testEnv } from './test-env.js';

export async function stopTestEnv(): Promise<void> {
  const processes = globalThis.harbormasterTestProcesses ?? [];
  // Stop in reverse order of start: dockerd last, after everything that may use it.
  for (const managed of [...processes].reverse()) await managed.stop();
  if (!process.env.HARBORMASTER_KEEP_TEST_ENV) {
    rmSync(testEnv().workDir, { recursive: true, force: true });
  }
}
