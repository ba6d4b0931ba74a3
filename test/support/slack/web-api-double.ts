/**
 * The Slack double's HTTP server. Routes:
 *   /api/<method>                 the Web API (SLACK_API_URL is `${baseUrl}/api/`)
 *   /upload/v1/<key>              upload URLs handed out by files.getUploadURLExternal
 *   /commands/<team>/<id>         response_url of a slash command
 *   /actions/<team>/<id>          response_url of an interaction
 *   /link/?ticket=…               Socket Mode WebSocket URLs handed out by apps.connections.open
 * Anything else answers 404 and is recorded as unhandled.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { parseApiArgs, readBody, sendJson, sendText, uploadBytes, type Args } from './http.js';
import type { JsonObject, JsonValue } from './json.js';
import type { ResponseUrls } from './response-url.js';
import { dispatch, type ApiAnswer, type DispatchContext } from './web-api/dispatch.js';
import { METHODS } from './web-api/methods.js';

export interface ApiCall {
  method: string;
  /** The arguments, without the token. */
  args: Args;
  status: number;
  response: JsonObject;
  at: number;
  /** The failure a test injected into this call, if any. */
  injected?: ApiAnswer['injected'];
}

export interface WebApiServerOptions extends DispatchContext {
  responseUrls: ResponseUrls;
  /** Takes over an HTTP upgrade to a WebSocket (Socket Mode's `/link/`). */
  onUpgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
}

export class WebApiServer {
  readonly calls: ApiCall[] = [];
  private readonly server: Server;
  private readonly timers = new Set<NodeJS.Timeout>();

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
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (options.onUpgrade !== undefined) {
        options.onUpgrade(req, socket, head);
        return;
      }
      this.unhandled(req, 'WebSocket upgrade on a double without Socket Mode');
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
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
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
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
    const { ws } = this.options;
    const answer = (call: ApiAnswer, args: Args): void => {
      const withoutToken = { ...args };
      delete withoutToken.token;
      const send = (): void => {
        this.calls.push({
          method,
          args: withoutToken,
          status: call.status,
          response: call.body,
          at: ws.clock.now(),
          ...(call.injected === undefined ? {} : { injected: call.injected }),
        });
        sendJson(res, call.status, call.body, call.headers);
      };
      if (call.delayMs === undefined) send();
      else this.later(call.delayMs, send);
    };
    const spec = METHODS.get(method);
    if (spec === undefined) {
      this.unhandled(req, `unknown Web API method ${method}`, method);
      answer(
        {
          status: 200,
          body: { ok: false, error: 'unknown_method', req_method: method },
          headers: {},
        },
        {},
      );
      return;
    }
    if (req.method !== 'POST' && req.method !== 'GET') {
      this.unhandled(req, `Web API methods take GET or POST, not ${req.method ?? '?'}`, method);
      sendText(res, 405, 'Method Not Allowed');
      return;
    }
    const parsed = parseApiArgs(req.headers['content-type'], body, url);
    if (!parsed.ok) {
      answer({ status: 200, body: { ok: false, error: parsed.error }, headers: {} }, {});
      return;
    }
    const { args } = parsed;
    const token =
      bearerToken(req.headers.authorization) ??
      (parsed.source === 'json' ? undefined : tokenArg(args.token));
    answer(dispatch({ method, spec, args, token }, this.options), args);
  }

  /** Runs `send` after `ms`, unless the server closes first. */
  private later(ms: number, send: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      send();
    }, ms);
    this.timers.add(timer);
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
