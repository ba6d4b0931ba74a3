/** Reading Web API arguments, which arrive as strings from forms and as typed values from JSON. */
import { SlackApiError } from '../errors.js';
import type { Args } from '../http.js';
import { checkMessage, formatIssue } from '../block-kit/limits.js';
import { isJsonObject, parseJson, type JsonObject, type JsonValue } from '../json.js';

export function stringArg(args: Args, key: string): string | undefined {
  const value = args[key];
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

export function booleanArg(args: Args, key: string): boolean {
  const value = args[key];
  return value === true || value === 'true' || value === '1' || value === 1;
}

export function integerArg(args: Args, key: string): number | undefined {
  const value = args[key];
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) ? number : undefined;
}

/**
 * A JSON array argument: an array in a JSON body, a JSON-encoded string in a form body.
 * `undefined` when absent; throws `errorName` when present but not an array.
 */
export function arrayArg(args: Args, key: string, errorName: string): JsonValue[] | undefined {
  const value = args[key];
  if (value === undefined || value === null || value === '') return undefined;
  let decoded: JsonValue = value;
  if (typeof value === 'string') {
    try {
      decoded = parseJson(value);
    } catch {
      throw new SlackApiError(errorName);
    }
  }
  if (!Array.isArray(decoded)) throw new SlackApiError(errorName);
  return decoded;
}

export interface DecodedContent {
  text?: string;
  blocks?: JsonValue[];
  attachments?: JsonValue[];
}

/** `text`, `blocks` and `attachments` as sent; each `undefined` when the call left it out. */
export function contentArgs(args: Args): DecodedContent {
  const text = args.text;
  const blocks = arrayArg(args, 'blocks', 'invalid_blocks_format');
  const attachments = arrayArg(args, 'attachments', 'invalid_attachments');
  return {
    ...(typeof text === 'string' ? { text } : {}),
    ...(blocks === undefined ? {} : { blocks }),
    ...(attachments === undefined ? {} : { attachments }),
  };
}

/** Applies Slack's message checks, throwing the error Slack would answer with. */
export function assertValidContent(content: DecodedContent, requireContent = true): void {
  const check = checkMessage(content, requireContent);
  if (check.ok) return;
  if ('issues' in check) {
    const messages = check.issues.map(formatIssue);
    throw new SlackApiError(check.error, {
      errors: check.issues.map((i) => `${i.message} [json-pointer:${i.pointer}]`),
      response_metadata: { messages },
    });
  }
  throw new SlackApiError(check.error);
}

export function objectsOnly(values: readonly JsonValue[]): JsonObject[] {
  return values.filter(isJsonObject);
}
