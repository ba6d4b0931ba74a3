import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Docker from 'dockerode';
import { LABELS } from './owner-labels.js';
import { PAUSE_COMMAND, PAUSE_IMAGE } from './pause-image.js';
import { startReadyProcess, stopReadyProcess } from './ready-process.js';

const FORWARDER = fileURLToPath(new URL('./forwarder.mjs', import.meta.url));

/**
 * A pod's network namespace: a pause container with Docker's network none (loopback only, plus
 * the pod network's interface when the double runs one), and its forwarder.
 */
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
  /** Gives the sandbox's network namespace (named by the pause process's pid) its interface. */
  attachNetwork?: (pid: number) => Promise<void>;
}

function startForwarder(pid: number, socketPath: string): Promise<ChildProcess> {
  return startReadyProcess('nsenter', [
    `--net=/proc/${pid}/ns/net`,
    process.execPath,
    FORWARDER,
    socketPath,
  ]);
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
    stopReadyProcess(forwarder);
    await container.remove({ force: true }).catch(() => undefined);
    rmSync(socketPath, { force: true });
  };
  try {
    await container.start();
    const info = await container.inspect();
    await request.attachNetwork?.(info.State.Pid);
    forwarder = await startForwarder(info.State.Pid, socketPath);
  } catch (error) {
    await destroy();
    throw error;
  }
  return { id: container.id, socketPath, destroy };
}
