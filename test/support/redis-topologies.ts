import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from './free-port.js';
import { startProcess, type ManagedProcess } from './managed-process.js';
import { redisServerArgs } from './redis-server.js';
import { requireBinary } from './system-binaries.js';

const run = promisify(execFile);

/** Real Redis topologies on loopback, from Debian's redis-server: a Cluster and a Sentinel set. */
export interface RedisTopology {
  /** REDIS_URL in the form Harbormaster reads for it. */
  url: string;
  ports: number[];
  stop(): Promise<void>;
}

function listens(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => {
      resolve(false);
    });
    probe.listen(port, '127.0.0.1', () => {
      probe.close(() => {
        resolve(true);
      });
    });
  });
}

/** A free port whose cluster bus port (port + 10000) is free too. */
async function clusterPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port < 55_000 && (await listens(port + 10_000))) return port;
  }
}

async function answers(port: number, password?: string): Promise<boolean> {
  const client = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    ...(password === undefined ? {} : { password }),
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

function redisServer(workDir: string, port: number, args: string[]): Promise<ManagedProcess> {
  const binary = requireBinary('redis-server', 'redis-server');
  return startProcess({
    name: `redis-server ${port}`,
    command: binary,
    args,
    logFile: join(workDir, `redis-${port}.log`),
    ready: () =>
      answers(
        port,
        args.includes('--requirepass') ? args[args.indexOf('--requirepass') + 1] : undefined,
      ),
  });
}

/** Three masters with `cluster-enabled yes`, joined by `redis-cli --cluster create`. */
export async function startRedisCluster(workDir: string): Promise<RedisTopology> {
  const ports: number[] = [];
  const processes: ManagedProcess[] = [];
  const stop = async () => {
    await Promise.all(processes.map((process) => process.stop()));
  };
  try {
    for (let i = 0; i < 3; i += 1) {
      const port = await clusterPort();
      ports.push(port);
      processes.push(
        await redisServer(workDir, port, [
          ...redisServerArgs(workDir, port),
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(workDir, `nodes-${port}.conf`),
        ]),
      );
    }
    const cli = requireBinary('redis-cli', 'redis-tools');
    await run(cli, [
      '--cluster',
      'create',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    for (const port of ports) await clusterReady(port);
  } catch (error) {
    await stop();
    throw error;
  }
  const nodes = ports.map((port) => `127.0.0.1:${port}`).join(',');
  return { url: `redis+cluster://${nodes}`, ports, stop };
}

async function clusterReady(port: number): Promise<void> {
  const client = new Redis({ port, host: '127.0.0.1' });
  try {
    for (let attempt = 0; attempt < 300; attempt += 1) {
      const info = await client.cluster('INFO');
      if (info.includes('cluster_state:ok')) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the cluster node on ${port} never reported cluster_state:ok`);
  } finally {
    client.disconnect();
  }
}

/** A master with a password and one sentinel that monitors it as `mymaster` (same password). */
export async function startRedisSentinel(
  workDir: string,
  password: string,
): Promise<RedisTopology & { masterName: string }> {
  const masterPort = await freePort();
  const sentinelPort = await freePort();
  const processes: ManagedProcess[] = [];
  const stop = async () => {
    await Promise.all(processes.map((process) => process.stop()));
  };
  try {
    processes.push(
      await redisServer(workDir, masterPort, [
        ...redisServerArgs(workDir, masterPort),
        '--requirepass',
        password,
        '--masterauth',
        password,
      ]),
    );
    // Sentinel rewrites its configuration file, so it gets one of its own.
    const config = join(workDir, `sentinel-${sentinelPort}.conf`);
    writeFileSync(
      config,
      [
        `port ${sentinelPort}`,
        'bind 127.0.0.1',
        `dir ${workDir}`,
        `sentinel monitor mymaster 127.0.0.1 ${masterPort} 1`,
        `sentinel auth-pass mymaster ${password}`,
        `requirepass ${password}`,
        '',
      ].join('\n'),
    );
    processes.push(
      await startProcess({
        name: `redis-sentinel ${sentinelPort}`,
        command: requireBinary('redis-server', 'redis-server'),
        args: [config, '--sentinel'],
        logFile: join(workDir, `sentinel-${sentinelPort}.log`),
        ready: () => answers(sentinelPort, password),
      }),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: `redis+sentinel://:${encodeURIComponent(password)}@127.0.0.1:${sentinelPort}/mymaster`,
    ports: [masterPort, sentinelPort],
    masterName: 'mymaster',
    stop,
  };
}
