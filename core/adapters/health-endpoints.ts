import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A route as Bolt's `customRoutes` and a plain Node server both take it. */
export interface HttpRoute {
  path: string;
  method: 'GET' | 'POST';
  handler: (request: IncomingMessage, response: ServerResponse) => void;
}

/** What readiness depends on, by name: each answers, or throws when it does not. */
export type ReadinessChecks = Record<string, () => Promise<unknown>>;

const CHECK_DEADLINE_MS = 1000;

function json(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** Each check as "up" or "down": never the error itself, which may name hosts and addresses. */
async function checkAll(checks: ReadinessChecks): Promise<Record<string, 'up' | 'down'>> {
  const names = Object.keys(checks);
  const patience = new AbortController();
  const late = sleep(CHECK_DEADLINE_MS, 'down' as const, { signal: patience.signal }).catch(
    () => 'down' as const,
  );
  const results = await Promise.all(
    names.map((name) =>
      Promise.race([
        Promise.resolve(checks[name]?.()).then(
          () => 'up' as const,
          () => 'down' as const,
        ),
        late,
      ]),
    ),
  );
  patience.abort();
  return Object.fromEntries(names.map((name, i) => [name, results[i] ?? 'down']));
}

async function readiness(checks: ReadinessChecks, response: ServerResponse): Promise<void> {
  const results = await checkAll(checks);
  const ready = Object.values(results).every((result) => result === 'up');
  json(response, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks: results });
}

/** /healthz: the process serves. /readyz: what it depends on answers too. */
export function healthRoutes(checks: ReadinessChecks): HttpRoute[] {
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
        void readiness(checks, response);
      },
    },
  ];
}

export interface HttpEndpoint {
  port: number;
  close(): Promise<void>;
}

/** Serves `routes` on `host:port` (port 0: a free one); anything else is 404. */
export async function serveRoutes(
  routes: readonly HttpRoute[],
  options: { port: number; host?: string },
): Promise<HttpEndpoint> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const route = routes.find((r) => r.path === path && r.method === request.method);
    if (route) route.handler(request, response);
    else json(response, 404, { status: 'not found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
