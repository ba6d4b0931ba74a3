import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { startProcess, type ManagedProcess } from './managed-process.js';
import { requireBinary } from './system-binaries.js';

export interface RedisServer {
  url: string;
  port: number;
  process: ManagedProcess;
}

/** A throwaway redis-server on 127.0.0.1: nothing saved to disk, files in `workDir`. */
export function redisServerArgs(
  workDir: string,
  port: number,
  options: { appendOnly?: boolean } = {},
): string[] {
  return [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    options.appendOnly === true ? 'yes' : 'no',
    '--dir',
    workDir,
  ];
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(1000);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => {
      resolve(data.toString().startsWith('+PONG'));
      socket.destroy();
    });
    socket.on('error', () => {
      resolve(false);
    });
    socket.on('timeout', () => {
      resolve(false);
      socket.destroy();
    });
  });
}

/**
 * A real redis-server on a free loopback port, with persistence off, or with the append-only
 * file in `workDir` (`appendOnly`: a restart on the same directory keeps the data).
 */
export async function startRedisServer(
  workDir: string,
  port?: number,
  options: { appendOnly?: boolean } = {},
): Promise<RedisServer> {
  const binary = requireBinary('redis-server', 'redis-server');
  const chosenPort = port ?? (await freePort());
  const process = await startProcess({
    name: 'redis-server',
    command: binary,
    args: redisServerArgs(workDir, chosenPort, options),
    logFile: join(workDir, `redis-${chosenPort}.log`),
    ready: () => answersPing(chosenPort),
  });
  return { url: `redis://127.0.0.1:${chosenPort}`, port: chosenPort, process };
}
