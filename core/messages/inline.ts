import {
  displayLength,
  markupLength,
  truncate,
  type Block,
  type ChatMessage,
  type Inline,
} from '../ports/chat-message.js';

/** Builders for inline content; user text goes in raw, the surface escapes it. */
export const text = (value: string): Inline => ({ kind: 'text', text: value });
export const bold = (value: string): Inline => ({ kind: 'bold', text: value });
/** A code span; long user text is cut at `limit`. */
export const code = (value: string, limit = 80): Inline => ({
  kind: 'code',
  text: truncate(value, limit),
});
export const link = (url: string, label?: string): Inline => ({
  kind: 'link',
  url,
  ...(label === undefined ? {} : { label }),
});
export const user = (id: string): Inline => ({ kind: 'mention', of: 'user', id });
export const group = (id: string): Inline => ({ kind: 'mention', of: 'group', id });
export const channel = (id: string): Inline => ({ kind: 'mention', of: 'channel', id });
export const emoji = (name: string): Inline => ({ kind: 'emoji', name });
export const preformatted = (value: string): Inline => ({ kind: 'preformatted', text: value });

export const section = (...content: Inline[]): Block => ({ kind: 'section', content });
export const context = (...content: Inline[]): Block => ({ kind: 'context', content });

/** Joins pieces of inline content with a separator between them, e.g. " · " or "\n". */
export function joined(parts: readonly (readonly Inline[])[], separator: string): Inline[] {
  return parts.flatMap((part, index) => (index === 0 ? [...part] : [text(separator), ...part]));
}

/** One section of content, with optional small print under it; the summary is the section. */
export function message(content: Inline[], ...small: Inline[][]): ChatMessage {
  return {
    summary: content,
    blocks: [section(...content), ...small.map((line) => context(...line))],
  };
}

/** Text cut so that, escaped, it takes at most `room` characters, ending in "…". */
function cutToFit(value: string, room: number): string {
  let used = 1;
  let end = 0;
  for (const character of value) {
    const length = markupLength(character);
    if (used + length > room) break;
    used += length;
    end += character.length;
  }
  return `${value.slice(0, end)}…`;
}

/**
 * Content cut to `limit` rendered characters: whole pieces first, then the piece that does not
 * fit shortened (a mention, emoji or link is left out rather than cut).
 */
export function fitted(content: readonly Inline[], limit: number): Inline[] {
  if (displayLength(content) <= limit) return [...content];
  const kept: Inline[] = [];
  let used = 0;
  for (const inline of content) {
    const length = displayLength([inline]);
    if (used + length <= limit) {
      kept.push(inline);
      used += length;
      continue;
    }
    if (inline.kind === 'text' || inline.kind === 'bold' || inline.kind === 'code') {
      const room = limit - used - (inline.kind === 'text' ? 0 : 2);
      if (room > 1) kept.push({ ...inline, text: cutToFit(inline.text, room) });
    }
    break;
  }
  return kept;
}
