import { createConnection, type Socket } from 'node:net';

/** A connection refused or reset inside the pod, with the code the pod's network gave. */
export class PodConnectionError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A TCP connection to 127.0.0.1:PORT inside a pod's network namespace, through the pod's
 * forwarder (forwarder.mjs) listening on a unix socket path.
 */
export function connectToPod(socketPath: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath);
    let header = Buffer.alloc(0);
    const timer = setTimeout(() => {
      fail(new PodConnectionError('ETIMEDOUT', `connect to port ${port}: timed out`));
    }, timeoutMs);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    const onData = (chunk: Buffer): void => {
      header = Buffer.concat([header, chunk]);
      const end = header.indexOf(10);
      if (end === -1) return;
      socket.off('data', onData);
      socket.off('error', fail);
      socket.off('end', onEnd);
      clearTimeout(timer);
      const line = header.subarray(0, end).toString('utf8');
      if (line !== 'OK') {
        const code = line.replace(/^ERR /, '');
        fail(new PodConnectionError(code, `connect to port ${port}: ${code}`));
        return;
      }
      socket.pause();
      const rest = header.subarray(end + 1);
      if (rest.length > 0) socket.unshift(rest);
      resolve(socket);
    };
    const onEnd = (): void => {
      fail(
        new PodConnectionError(
          'ECONNRESET',
          `connect to port ${port}: the pod's forwarder hung up`,
        ),
      );
    };
    socket.on('data', onData);
    socket.once('error', fail);
    socket.once('end', onEnd);
    socket.once('connect', () => {
      socket.write(`${port}\n`);
    });
  });
}
