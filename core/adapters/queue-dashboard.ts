import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import express, { type RequestHandler } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpEndpoint } from './health-endpoints.js';
import type { RedisClient } from './redis-connection.js';

export interface QueueDashboardOptions {
  connection: RedisClient;
  queueName: string;
  prefix: string;
  credentials: { username: string; password: string };
  port: number;
  host?: string;
}

function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** HTTP Basic authentication on every request: 401 with a challenge unless both parts match. */
function basicAuth(credentials: QueueDashboardOptions['credentials']): RequestHandler {
  return (request, response, next) => {
    const [scheme = '', encoded = ''] = (request.headers.authorization ?? '').split(' ');
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const username = colon === -1 ? '' : decoded.slice(0, colon);
    const password = colon === -1 ? '' : decoded.slice(colon + 1);
    // Both compared, always, so that the time taken does not tell which one was wrong.
    const userMatches = sameSecret(username, credentials.username);
    const passwordMatches = sameSecret(password, credentials.password);
    if (scheme.toLowerCase() === 'basic' && userMatches && passwordMatches) {
      next();
      return;
    }
    response.set('WWW-Authenticate', 'Basic realm="Harbormaster queue", charset="UTF-8"');
    response.status(401).json({ status: 'unauthorized' });
  };
}

/**
 * bull-board over the deploy queue, behind Basic authentication, read-only: it shows jobs and
 * their data, and refuses retries, removals and promotions, which would start or drop deploys
 * past the catalog's rules about who may deploy where.
 */
export async function serveQueueDashboard(options: QueueDashboardOptions): Promise<HttpEndpoint> {
  const queue = new Queue(options.queueName, {
    connection: options.connection,
    prefix: options.prefix,
  });
  const board = new ExpressAdapter();
  board.setBasePath('/');
  createBullBoard({
    queues: [new BullMQAdapter(queue, { readOnlyMode: true })],
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'Harbormaster deploys' } },
  });
  const app = express();
  app.disable('x-powered-by');
  app.use(basicAuth(options.credentials));
  app.use('/', board.getRouter() as RequestHandler);
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      });
      await queue.close();
    },
  };
}
