/**
 * Slack's side of Socket Mode: WebSocket connections opened with a ticket from
 * apps.connections.open (one connection per ticket, at most 10 at once per app), a `hello` on
 * each, envelopes sent to one open connection at a time and their acknowledgements read back,
 * and `disconnect` messages that make the app reconnect.
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { isJsonObject, parseJson, type JsonObject, type JsonValue } from '../json.js';
import type { Workspace } from '../workspace.js';
import { EnvelopeBook, type EnvelopeOptions } from './envelopes.js';

/** Slack's documented limit of open connections per app. */
export const MAX_CONNECTIONS = 10;

export type DisconnectReason = 'refresh_requested' | 'warning' | 'link_disabled';

export interface SocketConnection {
  id: string;
  openedAt: number;
  closedAt?: number;
  /** The disconnect messages the double sent on it. */
  disconnects: string[];
  /** Envelopes sent on it. */
  sent: number;
}

export interface RefusedConnection {
  at: number;
  reason: string;
}

export interface SocketServerOptions extends EnvelopeOptions {
  maxConnections: number;
  /** How often the double pings each connection, as Slack's servers do. */
  pingIntervalMs: number;
  /** How long after a `warning` the double closes the connection itself (Slack: about 10 s). */
  warningGraceMs: number;
  /** What `hello` says about the connection's expected life, in seconds. */
  approximateConnectionTimeSeconds: number;
}

const HOST = 'applink-harbormaster-double';

export class SocketModeServer {
  readonly connections: SocketConnection[] = [];
  readonly refused: RefusedConnection[] = [];
  readonly envelopes: EnvelopeBook;
  private readonly sockets = new Map<string, WebSocket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly events = new EventEmitter();
  private readonly wss = new WebSocketServer({ noServer: true });
  private nextPick = 0;
  private counter = 0;

  constructor(
    private readonly ws: Workspace,
    private readonly options: SocketServerOptions,
  ) {
    this.envelopes = new EnvelopeBook(this, ws.clock, options);
  }

  /** Open connections, oldest first. */
  get open(): SocketConnection[] {
    return this.connections.filter((c) => c.closedAt === undefined);
  }

  /** An HTTP upgrade on the double's port: `/link/?ticket=…` from apps.connections.open. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const redeemed =
      url.pathname === '/link/' || url.pathname === '/link'
        ? this.ws.tickets.redeem(url.searchParams.get('ticket'))
        : { ok: false as const, reason: `no WebSocket endpoint at ${url.pathname}` };
    if (!redeemed.ok) {
      this.refused.push({ at: this.ws.clock.now(), reason: redeemed.reason });
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (websocket) => {
      this.accept(websocket);
    });
  }

  /** The next open connection, in turn: Slack may send any payload to any connection. */
  pick(): { id: string; send(frame: JsonObject): void } | undefined {
    const open = this.open;
    if (open.length === 0) return undefined;
    const connection = open[this.nextPick % open.length];
    this.nextPick += 1;
    if (connection === undefined) return undefined;
    connection.sent += 1;
    return {
      id: connection.id,
      send: (frame) => {
        this.sendFrame(connection.id, frame);
      },
    };
  }

  /** Sends `disconnect` with this reason on every open connection (or one), then closes it. */
  disconnect(reason: DisconnectReason, options: { connectionId?: string } = {}): void {
    const targets = this.open.filter(
      (c) => options.connectionId === undefined || c.id === options.connectionId,
    );
    for (const connection of targets) {
      connection.disconnects.push(reason);
      this.sendFrame(connection.id, { type: 'disconnect', reason, debug_info: { host: HOST } });
      const graceMs = reason === 'warning' ? this.options.warningGraceMs : 0;
      this.later(graceMs, () => {
        this.sockets.get(connection.id)?.close(1000);
      });
    }
  }

  /** Resolves once `count` connections are open; fails after `timeoutMs`. */
  async waitForOpen(count: number, timeoutMs = 15_000): Promise<void> {
    await this.waitUntil(() => this.open.length >= count, `${count} open connections`, timeoutMs);
  }

  /** Resolves once the app has closed every connection, e.g. after it stopped. */
  async waitForAllClosed(timeoutMs = 15_000): Promise<void> {
    await this.waitUntil(() => this.open.length === 0, 'no open connection', timeoutMs);
  }

  private async waitUntil(condition: () => boolean, what: string, timeoutMs: number) {
    if (condition()) return;
    await new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (!condition()) return;
        clearTimeout(timer);
        this.events.off('change', check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.events.off('change', check);
        reject(new Error(`waited ${timeoutMs} ms for ${what}; ${this.open.length} open`));
      }, timeoutMs);
      this.events.on('change', check);
    });
  }

  async close(): Promise<void> {
    this.envelopes.close();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const socket of this.sockets.values()) socket.terminate();
    await new Promise<void>((resolve) => {
      this.wss.close(() => {
        resolve();
      });
    });
  }

  private accept(socket: WebSocket): void {
    this.counter += 1;
    const connection: SocketConnection = {
      id: `conn-${this.counter}`,
      openedAt: this.ws.clock.now(),
      disconnects: [],
      sent: 0,
    };
    if (this.open.length >= this.options.maxConnections) {
      // Slack's answer to one connection too many (known from its SDKs, not its docs).
      const frame = {
        type: 'disconnect',
        reason: 'too_many_websockets',
        debug_info: { host: HOST },
      };
      socket.send(JSON.stringify(frame), () => {
        socket.close(1008);
      });
      this.refused.push({ at: connection.openedAt, reason: 'too_many_websockets' });
      return;
    }
    this.connections.push(connection);
    this.sockets.set(connection.id, socket);
    const ping = setInterval(() => {
      socket.ping();
    }, this.options.pingIntervalMs);
    socket.on('message', (data: RawData, isBinary: boolean) => {
      this.receive(connection, data, isBinary);
    });
    socket.on('close', () => {
      clearInterval(ping);
      connection.closedAt = this.ws.clock.now();
      this.sockets.delete(connection.id);
      this.events.emit('change');
    });
    socket.on('error', () => undefined);
    this.sendFrame(connection.id, {
      type: 'hello',
      num_connections: this.open.length,
      debug_info: {
        host: HOST,
        started: new Date(connection.openedAt).toISOString().replace('T', ' ').slice(0, 23),
        build_number: 1,
        approximate_connection_time: this.options.approximateConnectionTimeSeconds,
      },
      connection_info: { app_id: this.ws.bot.appId },
    });
    this.events.emit('change');
  }

  private receive(connection: SocketConnection, data: RawData, isBinary: boolean): void {
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString('utf8')
      : Buffer.isBuffer(data)
        ? data.toString('utf8')
        : Buffer.from(new Uint8Array(data)).toString('utf8');
    let frame: JsonValue | undefined;
    try {
      frame = isBinary ? undefined : parseJson(text);
    } catch {
      frame = undefined;
    }
    const envelopeId = isJsonObject(frame) ? frame.envelope_id : undefined;
    const payload = isJsonObject(frame) ? frame.payload : undefined;
    const understood =
      typeof envelopeId === 'string' &&
      (payload === undefined || isJsonObject(payload)) &&
      this.envelopes.ack(envelopeId, payload);
    if (understood) return;
    this.ws.recordUnhandled({
      httpMethod: 'WS',
      path: `/link/ (${connection.id})`,
      reason: `a frame that is no acknowledgement of an envelope the double sent: ${text.slice(0, 200)}`,
    });
  }

  private sendFrame(connectionId: string, frame: JsonObject): void {
    this.sockets.get(connectionId)?.send(JSON.stringify(frame));
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }
}
