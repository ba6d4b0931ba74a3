import type { ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startReadyProcess, stopReadyProcess } from './ready-process.js';

const run = promisify(execFile);
const RELAY = fileURLToPath(new URL('./gateway-relay.mjs', import.meta.url));
/** Network namespaces of the double are named hmk-<pid of the test process>-<n>. */
const NAME_PATTERN = /^hmk-(\d+)-\d+$/;

/** The pod network's gateway: the bridge's address in the network's own namespace. */
export const POD_GATEWAY = '10.244.0.1';
const POD_PREFIX_LENGTH = 16;

/** Where a service of the test machine is, for `expose`: a TCP port on 127.0.0.1, or a unix socket. */
export type HostTarget = { port: number } | { socketPath: string };

let created = 0;

async function ip(...args: string[]): Promise<void> {
  await run('ip', args);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Deletes the pod networks of test processes that died before they could. */
async function sweepNetworks(): Promise<void> {
  const { stdout } = await run('ip', ['netns', 'list']);
  for (const line of stdout.split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const owner = NAME_PATTERN.exec(name)?.[1];
    if (owner !== undefined && !alive(Number(owner)))
      await ip('netns', 'delete', name).catch(() => undefined);
  }
}

/**
 * The pod network, as a CNI plugin makes one: a network namespace the double creates, holding a
 * bridge at 10.244.0.1/16; every pod gets a veth on it with its pod IP (10.244.<node>.<n>), so
 * pods reach each other and the gateway, and nothing else (no route leaves the namespace). A
 * service of the test machine (Redis, the Slack double, the Docker Engine) is reached from pods
 * at 10.244.0.1:<port> once `expose`d: a relay in the namespace hands each connection to a unix
 * socket on the machine. Needs root (ip netns, nsenter).
 */
export class ClusterNetwork {
  private readonly relays: ChildProcess[] = [];
  private readonly bridges: Server[] = [];
  private readonly connections = new Set<Socket>();
  private veths = 0;

  private constructor(
    readonly name: string,
    private readonly socketDir: string,
  ) {}

  static async create(): Promise<ClusterNetwork> {
    await sweepNetworks();
    created += 1;
    // Short: unix socket paths are limited to 108 bytes.
    const socketDir = mkdtempSync(join(tmpdir(), 'kn-'));
    const network = new ClusterNetwork(`hmk-${process.pid}-${created}`, socketDir);
    const { name } = network;
    try {
      await ip('netns', 'add', name);
      await ip('-n', name, 'link', 'set', 'lo', 'up');
      await ip('-n', name, 'link', 'add', 'br0', 'type', 'bridge');
      await ip('-n', name, 'addr', 'add', `${POD_GATEWAY}/${POD_PREFIX_LENGTH}`, 'dev', 'br0');
      await ip('-n', name, 'link', 'set', 'br0', 'up');
    } catch (error) {
      await network.remove();
      throw new Error(
        `the kube-api double could not create its pod network (it needs root, ip and nsenter): ${(error as Error).message}`,
        { cause: error },
      );
    }
    return network;
  }

  /** Puts a pod's sandbox (the namespace of process `pid`) on the network as `podIp`. */
  async attach(pid: number, podIp: string): Promise<void> {
    this.veths += 1;
    const hostSide = `hv${this.veths.toString(36)}`;
    await ip(
      '-n',
      this.name,
      'link',
      'add',
      hostSide,
      'type',
      'veth',
      'peer',
      'name',
      'eth0',
      'netns',
      String(pid),
    );
    await ip('-n', this.name, 'link', 'set', hostSide, 'master', 'br0', 'up');
    const inPod = async (...args: string[]) => {
      await run('nsenter', [`--net=/proc/${pid}/ns/net`, 'ip', ...args]);
    };
    await inPod('addr', 'add', `${podIp}/${POD_PREFIX_LENGTH}`, 'dev', 'eth0');
    await inPod('link', 'set', 'eth0', 'up');
    await inPod('route', 'add', 'default', 'via', POD_GATEWAY);
  }

  /** Makes `target` on this machine answer at 10.244.0.1:`port` inside the pod network. */
  async expose(port: number, target: HostTarget): Promise<{ host: string; port: number }> {
    const socketPath =
      'socketPath' in target ? target.socketPath : await this.bridgeTo(target.port, port);
    const relay = await startReadyProcess('nsenter', [
      `--net=/run/netns/${this.name}`,
      process.execPath,
      RELAY,
      POD_GATEWAY,
      String(port),
      socketPath,
    ]);
    this.relays.push(relay);
    return { host: POD_GATEWAY, port };
  }

  /** Stops the relays and deletes the namespace; the pods' veths go with their sandboxes. */
  async remove(): Promise<void> {
    for (const relay of this.relays.splice(0)) stopReadyProcess(relay);
    for (const connection of this.connections) connection.destroy();
    await Promise.all(
      this.bridges.splice(0).map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => {
              resolve();
            });
          }),
      ),
    );
    await ip('netns', 'delete', this.name).catch(() => undefined);
    rmSync(this.socketDir, { recursive: true, force: true });
  }

  /** A unix socket on this machine that relays to 127.0.0.1:`port`. */
  private async bridgeTo(port: number, exposedAs: number): Promise<string> {
    const socketPath = join(this.socketDir, `gw-${exposedAs}.sock`);
    rmSync(socketPath, { force: true });
    const server = createServer((client) => {
      const upstream = createConnection({ host: '127.0.0.1', port });
      this.connections.add(client);
      client.once('close', () => this.connections.delete(client));
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => {
        resolve();
      });
    });
    this.bridges.push(server);
    return socketPath;
  }
}
