import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from './logger.js';
import { createReadiness, type Readiness } from './readiness.js';

export const GREETING = 'Hello, World!';

export interface AppOptions {
  name: string;
  version: string;
  logger: Logger;
  /** Flipped on shutdown; defaults to one that stays ready. */
  readiness?: Readiness;
}

/** What `GET /` answers. */
export interface Greeting {
  message: string;
  service: string;
  version: string;
}

/** A 4xx status that express attached to an error (e.g. a malformed URL), if any. */
function clientErrorStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error)) return undefined;
  const { status } = error;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

const PROBE_PATHS = new Set(['/healthz', '/readyz']);

/** The hello-world REST API as an express app, not yet listening. */
export function createApp(options: AppOptions): Express {
  const { name, version, logger } = options;
  const readiness = options.readiness ?? createReadiness();
  const app = express();
  app.disable('x-powered-by');

  app.use((request: Request, response: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const fields = {
        method: request.method,
        path: request.path,
        status: response.statusCode,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
      };
      // Probes arrive every few seconds; keep them out of the default log level.
      if (PROBE_PATHS.has(request.path)) logger.debug(fields, 'request completed');
      else logger.info(fields, 'request completed');
    });
    next();
  });

  app.get('/', (_request, response) => {
    const body: Greeting = { message: GREETING, service: name, version };
    response.json(body);
  });

  app.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });

  app.get('/readyz', (_request, response) => {
    if (readiness.ready) response.json({ status: 'ready' });
    else response.status(503).json({ status: 'shutting down' });
  });

  app.use((request: Request, response: Response) => {
    response.status(404).json({ error: 'not found', path: request.path });
  });

  app.use((error: unknown, _request: Request, response: Response, next: NextFunction) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    const status = clientErrorStatus(error);
    if (status !== undefined) {
      response.status(status).json({ error: 'bad request' });
      return;
    }
    logger.error({ err: error }, 'request failed');
    response.status(500).json({ error: 'internal error' });
  });

  return app;
}
