import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';

/** The page's files, beside this module in the source and in the image (`dist/bot/console`). */
const ASSETS = new URL('./assets/', import.meta.url);

const TYPES = {
  'index.html': 'text/html; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
  'needs-token.html': 'text/html; charset=utf-8',
} as const;

export type AssetName = keyof typeof TYPES;

/** Nothing but the page's own script and styles runs; it talks to this server only. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** The page's files, read once at start-up. */
export function loadAssets(): Record<AssetName, Buffer> {
  const names = Object.keys(TYPES) as AssetName[];
  return Object.fromEntries(
    names.map((name) => [name, readFileSync(new URL(name, ASSETS))]),
  ) as Record<AssetName, Buffer>;
}

export function sendAsset(
  response: ServerResponse,
  assets: Record<AssetName, Buffer>,
  name: AssetName,
  status = 200,
): void {
  response.writeHead(status, {
    'content-type': TYPES[name],
    'cache-control': 'no-cache',
    ...SECURITY_HEADERS,
  });
  response.end(assets[name]);
}
