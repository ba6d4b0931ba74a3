import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Who may use the console. On loopback with no token, whoever can reach 127.0.0.1 (the person at
 * this machine), provided the request names a loopback host: a web page cannot use DNS
 * rebinding to drive it. Anywhere else, only a browser that shows the token (a cookie set from
 * the link the bot printed, or an `Authorization: Bearer` header).
 */
export interface ConsoleAccess {
  /** Absent: loopback only, no token. */
  token?: string;
  /** The cookie's name carries the port: consoles on two ports of one host keep theirs apart. */
  port: number;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Does this address listen on loopback only? */
export function isLoopback(host: string): boolean {
  return host === '::1' || host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function cookieName(access: ConsoleAccess): string {
  return `harbormaster_console_${access.port}`;
}

function sameToken(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookie(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function hostName(request: IncomingMessage): string {
  const host = request.headers.host ?? '';
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : (host.split(':')[0] ?? '');
}

/** The token a request shows, by cookie or bearer header. */
function shownToken(request: IncomingMessage, access: ConsoleAccess): string | undefined {
  const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
  return bearer ?? cookie(request, cookieName(access));
}

export type AccessCheck = 'allowed' | 'wrong-host' | 'needs-token';

/** May this request use the console? */
export function checkAccess(request: IncomingMessage, access: ConsoleAccess): AccessCheck {
  if (access.token === undefined) {
    return LOOPBACK_HOSTS.has(hostName(request)) ? 'allowed' : 'wrong-host';
  }
  return sameToken(shownToken(request, access), access.token) ? 'allowed' : 'needs-token';
}

/** The token in a link's query (`/?token=…`), when it is the right one. */
export function linkTokenValid(request: IncomingMessage, access: ConsoleAccess): boolean {
  if (access.token === undefined) return false;
  const given = new URL(request.url ?? '/', 'http://console').searchParams.get('token');
  return sameToken(given ?? undefined, access.token);
}

/** Keeps the token in a cookie only this console's pages send, then drops it from the address bar. */
export function acceptLinkToken(response: ServerResponse, access: ConsoleAccess): void {
  const value = access.token ?? '';
  response.writeHead(303, {
    'set-cookie': `${cookieName(access)}=${value}; Path=/; HttpOnly; SameSite=Strict`,
    location: '/',
  });
  response.end();
}

/**
 * A command or button press comes from the console's own page: JSON (which a form on another
 * site cannot send without a preflight this server never answers), and no other origin.
 */
export function sameOriginJson(request: IncomingMessage): boolean {
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) return false;
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
