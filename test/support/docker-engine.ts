import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerFromHost } from '../../core/adapters/docker-client.js';
import { startProcess, type ManagedProcess } from './managed-process.js';
import { repoRoot } from './paths.js';
import { requireBinary } from './system-binaries.js';

export { dockerFromHost };

export interface DockerEngine {
  /** A DOCKER_HOST value, e.g. unix:///var/run/docker.sock */
  host: string;
  /** Set when the test run started the engine itself. */
  process?: ManagedProcess;
}

async function answers(host: string): Promise<boolean> {
  try {
    await dockerFromHost(host).ping();
    return true;
  } catch {
    return false;
  }
}

/**
 * Uses the Docker Engine at DOCKER_HOST (or /var/run/docker.sock) when it answers;
 * otherwise starts dockerd with no bridge network, as root, for this test run.
 */
export async function ensureDockerEngine(workDir: string): Promise<DockerEngine> {
  const existing = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  if (await answers(existing)) return { host: existing };

  const dockerd = requireBinary('dockerd', 'docker.io');
  // Runtime sockets live under a short temporary path (unix sockets are limited to 108 bytes);
  // images persist in node_modules/.cache so the next run does not import the base again.
  const runDir = mkdtempSync(join(tmpdir(), 'hm-dockerd-'));
  const dataRoot = join(repoRoot, 'node_modules', '.cache', 'harbormaster', 'dockerd');
  mkdirSync(dataRoot, { recursive: true });
  const host = `unix://${join(runDir, 'docker.sock')}`;
  const managed = await startProcess({
    name: 'dockerd',
    command: dockerd,
    args: [
      '--bridge=none',
      '--iptables=false',
      '--ip-masq=false',
      `--host=${host}`,
      `--data-root=${dataRoot}`,
      `--exec-root=${join(runDir, 'exec')}`,
      `--pidfile=${join(runDir, 'dockerd.pid')}`,
    ],
    logFile: join(workDir, 'dockerd.log'),
    ready: () => answers(host),
    timeoutMs: 60_000,
  });
  return { host, process: managed };
}
