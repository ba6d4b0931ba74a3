import { z } from 'zod';
import type { ChatMessage } from '../../ports/chat-message.js';
import type { ChatTextFile } from '../../ports/chat.js';

const inlineSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('text'), text: z.string() }),
  z.strictObject({ kind: z.literal('bold'), text: z.string() }),
  z.strictObject({ kind: z.literal('code'), text: z.string() }),
  z.strictObject({ kind: z.literal('link'), url: z.string(), label: z.string().optional() }),
  z.strictObject({
    kind: z.literal('mention'),
    of: z.enum(['user', 'group', 'channel']),
    id: z.string(),
  }),
  z.strictObject({ kind: z.literal('emoji'), name: z.string() }),
  z.strictObject({ kind: z.literal('preformatted'), text: z.string() }),
]);

const buttonSchema = z.strictObject({
  actionId: z.string(),
  value: z.string(),
  label: z.string(),
  style: z.enum(['primary', 'danger']).optional(),
});

const blockSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('heading'), text: z.string() }),
  z.strictObject({ kind: z.literal('section'), content: z.array(inlineSchema) }),
  z.strictObject({ kind: z.literal('context'), content: z.array(inlineSchema) }),
  z.strictObject({ kind: z.literal('actions'), buttons: z.array(buttonSchema) }),
  z.strictObject({ kind: z.literal('divider') }),
]);

const messageSchema = z.strictObject({
  summary: z.array(inlineSchema),
  blocks: z.array(blockSchema),
});

const fileSchema = z.strictObject({
  filename: z.string(),
  content: z.string(),
  title: z.string().optional(),
  comment: z.string().optional(),
});

const messageId = z.string().regex(/^\d+-\d+$/);

/**
 * What happens in a console channel, as its Redis stream records it. A post's or a reply's id is
 * the stream entry's own id.
 */
export const consoleEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('post'), message: messageSchema }),
  z.strictObject({ type: z.literal('update'), target: messageId, message: messageSchema }),
  z.strictObject({ type: z.literal('reply'), thread: messageId, message: messageSchema }),
  z.strictObject({ type: z.literal('file'), thread: messageId, file: fileSchema }),
]);

export type ConsoleEvent =
  | { type: 'post'; message: ChatMessage }
  | { type: 'update'; target: string; message: ChatMessage }
  | { type: 'reply'; thread: string; message: ChatMessage }
  | { type: 'file'; thread: string; file: ChatTextFile };

/** One entry of a console stream: its id (milliseconds-sequence) and what happened. */
export interface ConsoleEntry {
  id: string;
  event: ConsoleEvent;
}

/** The one field each stream entry has. */
export const EVENT_FIELD = 'event';

/**
 * Reads entries as ioredis returns them (`[id, [field, value, …]]`). An entry that is not a
 * console event (written by something else, or by a newer version) is left out, never trusted.
 */
export function parseEntries(raw: readonly [string, string[]][]): ConsoleEntry[] {
  return raw.flatMap(([id, fields]) => {
    const index = fields.indexOf(EVENT_FIELD);
    const value = index >= 0 && index % 2 === 0 ? fields[index + 1] : undefined;
    if (value === undefined) return [];
    let json: unknown;
    try {
      json = JSON.parse(value);
    } catch {
      return [];
    }
    const parsed = consoleEventSchema.safeParse(json);
    return parsed.success ? [{ id, event: parsed.data }] : [];
  });
}

/** Stream ids in order: milliseconds, then sequence. */
export function compareIds(a: string, b: string): number {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number);
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number);
  return aMs - bMs || aSeq - bSeq;
}
