import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a real server that can hold what clients send: once a
 * chunk containing `marker` arrives, it and everything after it (order kept) wait until
 * `release()`. A way to make one command late without touching the client or the server.
 */
export interface HoldingProxy {
  port: number;
  /** Holds from the first chunk that contains `marker` on. */
  holdWhenSeen(marker: string): void;
  /** Whether something is being held now. */
  holding(): boolean;
  release(): void;
  close(): Promise<void>;
}

export async function startHoldingProxy(target: {
  host: string;
  port: number;
}): Promise<HoldingProxy> {
  let marker: string | undefined;
  let held: { socket: Socket; chunk: Buffer }[] | undefined;
  const sockets = new Set<Socket>();
  const forward = (upstream: Socket, chunk: Buffer) => {
    if (held === undefined && marker !== undefined && chunk.includes(marker)) held = [];
    if (held === undefined) upstream.write(chunk);
    else held.push({ socket: upstream, chunk });
  };
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.on('data', (chunk: Buffer) => {
      forward(upstream, chunk);
    });
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no port');
  return {
    port: address.port,
    holdWhenSeen(value) {
      marker = value;
    },
    holding: () => held !== undefined,
    release() {
      const waiting = held ?? [];
      held = undefined;
      marker = undefined;
      for (const { socket, chunk } of waiting) socket.write(chunk);
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    },
  };
}
