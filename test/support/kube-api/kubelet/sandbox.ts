import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Docker from 'dockerode';
import { LABELS } from './owner-labels.js';
import { PAUSE_COMMAND, PAUSE_IMAGE } from './pause-image.js';

const FORWARDER = fileURLToPath(new URL('./forwarder.mjs', import.meta.url));

/** A pod's network namespace: a pause container with no network but loopback, and its forwarder. */
export interface Sandbox {
  /** The pause container's id: the pod's containers join its network with container:<id>. */
  id: string;
  /** The unix socket that reaches 127.0.0.1:PORT inside the pod (see pod-connection.ts). */
  socketPath: string;
  destroy(): Promise<void>;
}

export interface SandboxRequest {
  docker: Docker;
  /** Short directory for the forwarders' sockets (unix socket paths are limited to 108 bytes). */
  socketDir: string;
  podUid: string;
  hostname: string;
  labels: Record<string, string>;
}

function startForwarder(pid: number, socketPath: string): Promise<ChildProcess> {
  const child = spawn(
    'nsenter',
    [`--net=/proc/${pid}/ns/net`, process.execPath, FORWARDER, socketPath],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const collect = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('ready\n')) {
        child.stdout.off('data', collect);
        child.stdout.resume();
        child.stderr.resume();
        resolve(child);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      reject(new Error(`the pod's forwarder exited (${String(code)}): ${output.trim()}`));
    });
  });
}

/** Creates and starts the pause container, then the forwarder inside its network namespace. */
export async function createSandbox(request: SandboxRequest): Promise<Sandbox> {
  const { docker } = request;
  const container = await docker.createContainer({
    name: `k8s_POD_${request.hostname}_${request.podUid.slice(0, 8)}_${Date.now().toString(36)}`,
    Image: PAUSE_IMAGE,
    Cmd: PAUSE_COMMAND,
    Hostname: request.hostname,
    Labels: { ...request.labels, [LABELS.role]: 'sandbox' },
    HostConfig: { NetworkMode: 'none', AutoRemove: false },
  });
  const socketPath = join(request.socketDir, `${request.podUid.slice(0, 13)}.sock`);
  let forwarder: ChildProcess | undefined;
  const destroy = async (): Promise<void> => {
    forwarder?.stdin?.end();
    forwarder?.kill('SIGKILL');
    await container.remove({ force: true }).catch(() => undefined);
    rmSync(socketPath, { force: true });
  };
  try {
    await container.start();
    const info = await container.inspect();
    forwarder = await startForwarder(info.State.Pid, socketPath);
  } catch (error) {
    await destroy();
    throw error;
  }
  return { id: container.id, socketPath, destroy };
}
