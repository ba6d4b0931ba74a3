import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from './logger.js';

export interface ServerOptions {
  handler: RequestListener;
  host: string;
  /** 0 asks the kernel for a free port. */
  port: number;
  logger: Logger;
  /** How long `close()` waits for requests in flight before it cuts their connections. */
  shutdownTimeoutMs: number;
}

export interface RunningServer {
  readonly port: number;
  readonly url: string;
  /**
   * Stops accepting connections, lets requests in flight finish, then resolves: true when every
   * request finished, false when the shutdown timeout cut some off.
   */
  close(): Promise<boolean>;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('the server is not listening on a TCP port'));
        return;
      }
      resolve(address);
    });
  });
}

/** An HTTP server that shuts down gracefully: the piece Kubernetes' SIGTERM relies on. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { logger } = options;
  let closing: Promise<boolean> | undefined;
  const server = createServer((request, response) => {
    if (closing) {
      // A keep-alive connection that sends one more request gets its answer, then is closed.
      response.setHeader('Connection', 'close');
      response.on('finish', () => {
        server.closeIdleConnections();
      });
    }
    options.handler(request, response);
  });
  const address = await listen(server, options.port, options.host);
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  function close(): Promise<boolean> {
    closing ??= new Promise<boolean>((resolve) => {
      let drained = true;
      const deadline = setTimeout(() => {
        drained = false;
        logger.warn(
          { shutdownTimeoutMs: options.shutdownTimeoutMs },
          'shutdown timeout reached; closing connections with requests in flight',
        );
        server.closeAllConnections();
      }, options.shutdownTimeoutMs);
      deadline.unref();
      server.close(() => {
        clearTimeout(deadline);
        resolve(drained);
      });
      // Connections with no request in flight go now; busy ones close once they answer.
      server.closeIdleConnections();
    });
    return closing;
  }

  return { port: address.port, url: `http://${urlHost}:${address.port}`, close };
}
