import { request, type IncomingMessage } from 'node:http';
import type { RequestListener } from 'node:http';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';
import { startService } from '../src/service.js';
import { memoryLogger } from './support.js';

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // A fresh connection each time: a pooled keep-alive socket would hide a closed listener.
    request(url, { agent: false }, (response: IncomingMessage) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, body });
      });
    })
      .on('error', reject)
      .end();
  });
}

describe('startService', () => {
  it('serves on the configured port and stops with readiness flipped', async () => {
    const { logger, lines } = memoryLogger();
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', SERVICE_VERSION: '3.1.4' });
    const service = await startService({ config, logger });

    const answer = await get(`${service.url}/`);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ service: 'hello-world', version: '3.1.4' });
    expect(service.readiness.ready).toBe(true);

    await expect(service.stop()).resolves.toBe(true);
    expect(service.readiness.ready).toBe(false);
    await expect(get(`${service.url}/healthz`)).rejects.toThrow(/ECONNREFUSED/);
    expect(lines().map((line) => line.msg)).toEqual(
      expect.arrayContaining(['listening', 'stopped']),
    );
  });
});

describe('graceful shutdown', () => {
  it('refuses new connections but finishes the request in flight', async () => {
    const { logger } = memoryLogger();
    const app = createApp({ name: 'hello-world', version: '0.0.0', logger });
    let releaseSlow: () => void = () => undefined;
    let slowStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (slowStarted = resolve));
    // A slow route in front of the real app: a request that is still running at shutdown.
    const handler: RequestListener = (req, res) => {
      if (req.url !== '/slow') {
        app(req, res);
        return;
      }
      slowStarted();
      releaseSlow = () => res.end('finished');
    };
    const server = await startServer({
      handler,
      host: '127.0.0.1',
      port: 0,
      logger,
      shutdownTimeoutMs: 5_000,
    });

    const slow = get(`${server.url}/slow`);
    await started;
    const closed = server.close();

    await expect(get(`${server.url}/`)).rejects.toThrow(/ECONNREFUSED/);
    releaseSlow();
    await expect(slow).resolves.toEqual({ status: 200, body: 'finished' });
    await expect(closed).resolves.toBe(true);
  });

  it('cuts off a request that outlives the shutdown timeout and says so', async () => {
    const { logger, lines } = memoryLogger();
    let arrived: () => void = () => undefined;
    const inFlight = new Promise<void>((resolve) => (arrived = resolve));
    const handler: RequestListener = () => {
      arrived(); // and never answers
    };
    const server = await startServer({
      handler,
      host: '127.0.0.1',
      port: 0,
      logger,
      shutdownTimeoutMs: 200,
    });
    const hanging = get(`${server.url}/`);
    await inFlight;
    await expect(server.close()).resolves.toBe(false);
    await expect(hanging).rejects.toThrow(/socket hang up/);
    expect(lines().map((line) => line.msg)).toContain(
      'shutdown timeout reached; closing connections with requests in flight',
    );
  });
});
