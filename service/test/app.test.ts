import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp, GREETING } from '../src/app.js';
import { createReadiness } from '../src/readiness.js';
import { memoryLogger } from './support.js';

/** Listens on a free loopback port, as the deploy's test gate would run it. */
async function serve(app: ReturnType<typeof createApp>): Promise<{ url: string; server: Server }> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, server });
    });
  });
}

describe('the hello-world app', () => {
  const { logger, lines } = memoryLogger();
  const readiness = createReadiness();
  let url: string;
  let server: Server;

  beforeAll(async () => {
    ({ url, server } = await serve(
      createApp({ name: 'hello-world', version: '9.9.9', logger, readiness }),
    ));
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers GET / with the greeting, the service name and its version', async () => {
    const response = await fetch(`${url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({
      message: 'Hello, World!',
      service: 'hello-world',
      version: '9.9.9',
    });
    expect(GREETING).toBe('Hello, World!');
  });

  it('is alive on /healthz', async () => {
    const response = await fetch(`${url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers 404 as JSON for an unknown path', async () => {
    const response = await fetch(`${url}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'not found', path: '/nope' });
  });

  it('does not advertise express', async () => {
    const response = await fetch(`${url}/`);
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('logs each request as one JSON line with fixed text and fields', async () => {
    await fetch(`${url}/?from=log-test`);
    const line = lines().find((entry) => entry.msg === 'request completed' && entry.path === '/');
    expect(line).toMatchObject({
      level: 'info',
      service: 'hello-world',
      version: '9.9.9',
      method: 'GET',
      status: 200,
    });
    expect(typeof line?.durationMs).toBe('number');
  });

  // Last: it flips readiness for the rest of this suite.
  it('is ready on /readyz until shutdown begins, then answers 503', async () => {
    const before = await fetch(`${url}/readyz`);
    expect(before.status).toBe(200);
    expect(await before.json()).toEqual({ status: 'ready' });

    readiness.markShuttingDown();

    const after = await fetch(`${url}/readyz`);
    expect(after.status).toBe(503);
    expect(await after.json()).toEqual({ status: 'shutting down' });
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
  });
});
