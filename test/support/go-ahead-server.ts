import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GoAheadServer {
  /** What a held program polls: 503 until `open()`, then 200. */
  url: string;
  open(): void;
  close(): Promise<void>;
}

/** A go-ahead a program in a sandbox can wait for, where no file of the test's reaches it. */
export async function startGoAheadServer(): Promise<GoAheadServer> {
  let open = false;
  const server = createServer((_request, response) => {
    response.writeHead(open ? 200 : 503, { connection: 'close' }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}/`,
    open: () => {
      open = true;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
      }),
  };
}
