/** Small HTTP helpers: read a body, answer JSON, and decode Web API arguments as Slack does. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJson, isJsonObject, type JsonObject, type JsonValue } from './json.js';

export type Args = Record<string, JsonValue | undefined>;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  }
  return Buffer.concat(chunks);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: JsonObject,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

export function mediaType(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase();
}

function charset(contentType: string): string | undefined {
  const match = /charset=([^;]+)/i.exec(contentType);
  return match?.[1]?.trim().replace(/^"|"$/g, '').toLowerCase();
}

/** Where the arguments came from; Slack reads a token from a form body, never from JSON. */
export type ArgsSource = 'query' | 'form' | 'json' | 'multipart';

export type ParsedArgs =
  { ok: true; args: Args; source: ArgsSource } | { ok: false; error: string };

function formArgs(params: URLSearchParams, into: Args): void {
  for (const [key, value] of params) into[key] = value;
}

/**
 * Decodes a Web API request's arguments: the query string, then a form, multipart or JSON body,
 * with Slack's errors for a body it cannot read.
 */
export function parseApiArgs(contentType: string | undefined, body: Buffer, url: URL): ParsedArgs {
  const args: Args = {};
  formArgs(url.searchParams, args);
  if (body.length === 0) return { ok: true, args, source: 'query' };
  if (contentType === undefined) return { ok: false, error: 'missing_post_type' };
  const set = charset(contentType);
  if (set !== undefined && set !== 'utf-8' && set !== 'utf8' && set !== 'iso-8859-1') {
    return { ok: false, error: 'invalid_charset' };
  }
  switch (mediaType(contentType)) {
    case 'application/x-www-form-urlencoded':
    case 'text/plain':
      formArgs(new URLSearchParams(body.toString('utf8')), args);
      return { ok: true, args, source: 'form' };
    case 'application/json': {
      let parsed: JsonValue;
      try {
        parsed = parseJson(body.toString('utf8'));
      } catch {
        return { ok: false, error: 'invalid_json' };
      }
      if (!isJsonObject(parsed)) return { ok: false, error: 'json_not_object' };
      return { ok: true, args: { ...args, ...parsed }, source: 'json' };
    }
    case 'multipart/form-data': {
      const parts = multipartParts(contentType, body);
      if (parts === undefined) return { ok: false, error: 'invalid_form_data' };
      for (const part of parts) {
        if (part.filename === undefined) args[part.name] = part.data.toString('utf8');
      }
      return { ok: true, args, source: 'multipart' };
    }
    default:
      return { ok: false, error: 'invalid_post_type' };
  }
}

export interface MultipartPart {
  name: string;
  filename?: string;
  data: Buffer;
}

/** Splits a multipart/form-data body into its parts; `undefined` when it is not well formed. */
export function multipartParts(contentType: string, body: Buffer): MultipartPart[] | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const marker = boundary?.at(1) ?? boundary?.at(2);
  if (marker === undefined) return undefined;
  const delimiter = Buffer.from(`--${marker}`);
  const parts: MultipartPart[] = [];
  let start = body.indexOf(delimiter);
  if (start === -1) return undefined;
  for (;;) {
    start += delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') return parts;
    const next = body.indexOf(delimiter, start);
    if (next === -1) return undefined;
    const part = body.subarray(start + 2, next - 2); // drop the CRLF after the delimiter and before the next
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd === -1) return undefined;
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const name = /name="([^"]*)"/i.exec(headers)?.at(1);
    const filename = /filename="([^"]*)"/i.exec(headers)?.at(1);
    if (name === undefined) return undefined;
    parts.push({
      name,
      ...(filename === undefined ? {} : { filename }),
      data: part.subarray(headerEnd + 4),
    });
    start = next;
  }
}

/** The bytes of an upload: the file part of a multipart body, otherwise the raw body. */
export function uploadBytes(contentType: string | undefined, body: Buffer): Buffer | undefined {
  if (contentType === undefined || mediaType(contentType) !== 'multipart/form-data') return body;
  const parts = multipartParts(contentType, body);
  if (parts === undefined) return undefined;
  return (parts.find((p) => p.filename !== undefined) ?? parts.at(0))?.data;
}
