import type { CustomRoute } from '@slack/bolt';
import type { ServerResponse } from 'node:http';
import type { DeployQueue } from '../core/ports/deploy-queue.js';
import { withDeadline } from '../core/use-cases/deadline.js';

function json(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

async function readiness(queue: DeployQueue, response: ServerResponse): Promise<void> {
  try {
    await withDeadline(queue.ping(), 1000, 'QUEUE_UNAVAILABLE', 'Redis');
    json(response, 200, { status: 'ready' });
  } catch (error) {
    json(response, 503, { status: 'not ready', reason: (error as Error).message });
  }
}

/** /healthz: the process serves. /readyz: it can also queue deploys (Redis answers). */
export function healthRoutes(queue: DeployQueue): CustomRoute[] {
  return [
    {
      path: '/healthz',
      method: 'GET',
      handler: (_request, response) => {
        json(response, 200, { status: 'ok' });
      },
    },
    {
      path: '/readyz',
      method: 'GET',
      handler: (_request, response) => {
        void readiness(queue, response);
      },
    },
  ];
}
