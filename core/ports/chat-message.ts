/**
 * A chat message as the product composes it, for any chat surface: blocks of inline content.
 * Each surface renders it its own way (Slack: Block Kit and mrkdwn; a web console: HTML) and
 * escapes the text in it there, once. No SDK type appears here.
 */

/** Inline content: what a line is made of. Text is raw; the surface escapes it. */
export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'bold'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'link'; url: string; label?: string }
  | { kind: 'mention'; of: 'user' | 'group' | 'channel'; id: string }
  | { kind: 'emoji'; name: string }
  /** Verbatim lines, e.g. the end of a log, shown as a block of monospace text. */
  | { kind: 'preformatted'; text: string };

/** A button: pressing it sends `actionId` and `value` back to the surface's handler. */
export interface Button {
  actionId: string;
  value: string;
  label: string;
  style?: 'primary' | 'danger';
}

export type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'section'; content: Inline[] }
  /** Small print under or between sections. */
  | { kind: 'context'; content: Inline[] }
  | { kind: 'actions'; buttons: Button[] }
  | { kind: 'divider' };

export interface ChatMessage {
  /** The one-line version: notifications, and surfaces that show no blocks. */
  summary: Inline[];
  blocks: Block[];
}

/**
 * What every message stays within, so that no surface refuses one: the strictest surface's
 * limits (Slack's). Lengths count characters as a markup surface renders them (see markupLength).
 */
export const MESSAGE_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  contextElements: 10,
  headerText: 150,
  messageText: 40_000,
  buttonsPerBlock: 25,
  buttonLabel: 75,
  buttonValue: 2000,
} as const;

/** Cuts text to a limit, saying that it did. */
export function truncate(text: string, limit: number, marker = '…'): string {
  return text.length <= limit ? text : `${text.slice(0, limit - marker.length)}${marker}`;
}

/** How long text is once a markup surface escapes it: `&` `<` `>` become entities. */
export function markupLength(text: string): number {
  let length = text.length;
  for (const character of text) {
    if (character === '&') length += 4;
    else if (character === '<' || character === '>') length += 3;
  }
  return length;
}

function inlineLength(inline: Inline): number {
  switch (inline.kind) {
    case 'text':
      return markupLength(inline.text);
    case 'bold':
    case 'code':
      return markupLength(inline.text) + 2;
    case 'link':
      return (
        markupLength(inline.url) +
        2 +
        (inline.label === undefined ? 0 : markupLength(inline.label) + 1)
      );
    case 'mention':
      return inline.id.length + (inline.of === 'group' ? 11 : 3);
    case 'emoji':
      return inline.name.length + 2;
    case 'preformatted':
      return markupLength(inline.text) + 8;
  }
}

/** How many characters inline content takes once rendered with markup: what limits count. */
export function displayLength(content: readonly Inline[]): number {
  return content.reduce((total, inline) => total + inlineLength(inline), 0);
}

/** The words alone, without markup: for logs and plain-text surfaces. */
export function plainText(content: readonly Inline[]): string {
  return content
    .map((inline) => {
      switch (inline.kind) {
        case 'link':
          return inline.label ?? inline.url;
        case 'mention':
          return `${inline.of === 'channel' ? '#' : '@'}${inline.id}`;
        case 'emoji':
          return `:${inline.name}:`;
        default:
          return inline.text;
      }
    })
    .join('');
}
