/**
 * The Slack double's HTTP server. Routes:
 *   /api/<method>                 the Web API (SLACK_API_URL is `${baseUrl}/api/`)
 *   /upload/v1/<key>              upload URLs handed out by files.getUploadURLExternal
 *   /commands/<team>/<id>         response_url of a slash command
 *   /actions/<team>/<id>          response_url of an interaction
 * Anything else answers 404 and is recorded as unhandled.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SlackApiError } from './errors.js';
import { parseApiArgs, readBody, sendJson, sendText, uploadBytes, type Args } from './http.js';
import type { JsonObject, JsonValue } from './json.js';
import type { RateLimiter } from './rate-limiter.js';
import type { ResponseUrls } from './response-url.js';
import { METHODS } from './web-api/methods.js';
import type { Workspace } from './workspace.js';

export interface ApiCall {
  method: string;
  /** The arguments, without the token. */
  args: Args;
  status: number;
  response: JsonObject;
  at: number;
}

export interface WebApiServerOptions {
  ws: Workspace;
  botToken: string;
  rateLimiter: RateLimiter;
  responseUrls: ResponseUrls;
}

const SCOPES =
  'chat:write,commands,files:write,users:read,usergroups:read,channels:read,groups:read';

export class WebApiServer {
  readonly calls: ApiCall[] = [];
  private readonly server: Server;

  constructor(private readonly options: WebApiServerOptions) {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        this.options.ws.recordUnhandled({
          httpMethod: req.method ?? '?',
          path: req.url ?? '?',
          reason: `the double failed: ${reason}`,
        });
        if (!res.headersSent) sendText(res, 500, 'internal error in the Slack double');
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        resolve();
      });
    });
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => {
      this.server.close((error) => {
        if (error === undefined) resolve();
        else reject(error);
      });
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    const parts = url.pathname.split('/').filter((p) => p !== '');
    const [first, second, third] = [parts.at(0), parts.at(1), parts.at(2)];
    if (first === 'api' && second !== undefined && parts.length === 2) {
      this.api(second, req, res, url, body);
      return;
    }
    if (first === 'upload' && second === 'v1' && third !== undefined && req.method === 'POST') {
      this.upload(third, req, res, body);
      return;
    }
    if (
      (first === 'commands' || first === 'actions') &&
      third !== undefined &&
      req.method === 'POST'
    ) {
      const answer = this.options.responseUrls.receive(third, req.headers['content-type'], body);
      if (answer.body.error === 'invalid_url') {
        this.unhandled(req, `no response_url ${url.pathname} was ever issued`);
      }
      sendJson(res, answer.status, answer.body);
      return;
    }
    this.unhandled(req, 'no such route on the Slack double');
    sendText(res, 404, 'Not Found');
  }

  private unhandled(req: IncomingMessage, reason: string, method?: string): void {
    this.options.ws.recordUnhandled({
      httpMethod: req.method ?? '?',
      path: req.url ?? '?',
      reason,
      ...(method === undefined ? {} : { method }),
    });
  }

  private api(
    method: string,
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    body: Buffer,
  ): void {
    const { ws, botToken, rateLimiter } = this.options;
    const answer = (
      status: number,
      response: JsonObject,
      args: Args,
      headers: Record<string, string> = {},
    ): void => {
      const withoutToken = { ...args };
      delete withoutToken.token;
      this.calls.push({ method, args: withoutToken, status, response, at: ws.clock.now() });
      sendJson(res, status, response, { 'x-oauth-scopes': SCOPES, ...headers });
    };
    const handler = METHODS.get(method);
    if (handler === undefined) {
      this.unhandled(req, `unknown Web API method ${method}`, method);
      answer(200, { ok: false, error: 'unknown_method', req_method: method }, {});
      return;
    }
    if (req.method !== 'POST' && req.method !== 'GET') {
      this.unhandled(req, `Web API methods take GET or POST, not ${req.method ?? '?'}`, method);
      sendText(res, 405, 'Method Not Allowed');
      return;
    }
    const parsed = parseApiArgs(req.headers['content-type'], body, url);
    if (!parsed.ok) {
      answer(200, { ok: false, error: parsed.error }, {});
      return;
    }
    const { args } = parsed;
    const token =
      bearerToken(req.headers.authorization) ??
      (parsed.source === 'json' ? undefined : tokenArg(args.token));
    if (token === undefined) {
      answer(200, { ok: false, error: 'not_authed' }, args);
      return;
    }
    if (token !== botToken) {
      answer(200, { ok: false, error: 'invalid_auth' }, args);
      return;
    }
    const channel = typeof args.channel === 'string' ? args.channel : undefined;
    const decision = rateLimiter.check(method, channel);
    if (decision.limited) {
      answer(429, { ok: false, error: 'ratelimited' }, args, {
        'retry-after': String(decision.retryAfterSeconds),
      });
      return;
    }
    try {
      answer(200, { ok: true, ...handler({ args, ws }) }, args);
    } catch (error) {
      if (!(error instanceof SlackApiError)) throw error;
      answer(200, { ok: false, error: error.code, ...error.extra }, args);
    }
  }

  private upload(key: string, req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const file = [...this.options.ws.files.values()].find((f) => f.uploadKey === key);
    if (file === undefined) {
      this.unhandled(req, 'upload to a URL files.getUploadURLExternal never handed out');
      sendText(res, 404, 'Not Found');
      return;
    }
    if (file.bytes !== undefined) {
      this.unhandled(req, `second upload to the URL of ${file.id}`);
      sendText(res, 400, 'upload already received');
      return;
    }
    const bytes = uploadBytes(req.headers['content-type'], body);
    if (bytes === undefined) {
      this.unhandled(req, `upload of ${file.id} is not well-formed multipart/form-data`);
      sendText(res, 400, 'invalid multipart body');
      return;
    }
    if (bytes.length !== file.declaredLength) {
      this.unhandled(
        req,
        `upload of ${file.id} has ${bytes.length} bytes but files.getUploadURLExternal declared ${file.declaredLength}`,
      );
      sendText(res, 400, 'length mismatch');
      return;
    }
    file.bytes = bytes;
    sendText(res, 200, `OK - ${bytes.length}`);
  }
}

function bearerToken(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

function tokenArg(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
