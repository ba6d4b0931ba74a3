import {
  MESSAGE_LIMITS,
  truncate,
  type Block,
  type Button,
  type ChatMessage,
  type Inline,
} from '../../ports/chat-message.js';

/** Names the console shows for ids; an id it does not know is shown as it is. */
export interface HtmlNames {
  user?: (id: string) => string | undefined;
  channel?: (id: string) => string | undefined;
}

/** Escapes text for HTML content and for quoted attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The emoji the messages use, as the characters a browser shows. */
const EMOJI: Record<string, string> = {
  white_check_mark: '✅',
  x: '❌',
  arrows_counterclockwise: '🔄',
  white_circle: '⚪',
  heavy_minus_sign: '➖',
  hourglass_flowing_sand: '⏳',
  rocket: '🚀',
  recycle: '♻️',
  repeat: '🔁',
  leftwards_arrow_with_hook: '↩️',
  warning: '⚠️',
};

/** Only web addresses and the console's own message links become links; nothing else can run. */
function safeUrl(url: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(url) || /^\/#[A-Za-z0-9/-]+$/.test(url);
}

function link(url: string, label: string | undefined): string {
  const shown = escapeHtml(label ?? url);
  if (!safeUrl(url)) return label === undefined ? shown : `${shown} (${escapeHtml(url)})`;
  const external = !url.startsWith('/#');
  const target = external ? ' target="_blank" rel="noopener noreferrer"' : '';
  return `<a href="${escapeHtml(url)}"${target}>${shown}</a>`;
}

function mention(of: 'user' | 'group' | 'channel', id: string, names: HtmlNames): string {
  const name =
    of === 'user' ? names.user?.(id) : of === 'channel' ? names.channel?.(id) : undefined;
  const sign = of === 'channel' ? '#' : '@';
  return `<span class="mention">${sign}${escapeHtml(name ?? id)}</span>`;
}

function inlineHtml(inline: Inline, names: HtmlNames): string {
  switch (inline.kind) {
    case 'text':
      return escapeHtml(inline.text);
    case 'bold':
      return `<strong>${escapeHtml(inline.text)}</strong>`;
    case 'code':
      return `<code>${escapeHtml(inline.text)}</code>`;
    case 'link':
      return link(inline.url, inline.label);
    case 'mention':
      return mention(inline.of, inline.id, names);
    case 'emoji': {
      const character = EMOJI[inline.name];
      return character === undefined
        ? `:${escapeHtml(inline.name)}:`
        : `<span class="emoji" title=":${escapeHtml(inline.name)}:">${character}</span>`;
    }
    case 'preformatted':
      return `<pre>${escapeHtml(inline.text)}</pre>`;
  }
}

/** Inline content as HTML, every piece of text escaped: nothing in it can become markup. */
export function inlineToHtml(content: readonly Inline[], names: HtmlNames = {}): string {
  return content.map((inline) => inlineHtml(inline, names)).join('');
}

function button(value: Button): string {
  const style = value.style === undefined ? '' : ` ${value.style}`;
  return (
    `<button type="button" class="button${style}" data-action-id="${escapeHtml(value.actionId)}"` +
    ` data-value="${escapeHtml(truncate(value.value, MESSAGE_LIMITS.buttonValue))}">` +
    `${escapeHtml(truncate(value.label, MESSAGE_LIMITS.buttonLabel))}</button>`
  );
}

function blockHtml(block: Block, names: HtmlNames): string {
  switch (block.kind) {
    case 'heading':
      return `<h3>${escapeHtml(truncate(block.text, MESSAGE_LIMITS.headerText))}</h3>`;
    case 'section':
      return `<div class="section">${inlineToHtml(block.content, names)}</div>`;
    case 'context':
      return `<div class="context">${inlineToHtml(block.content, names)}</div>`;
    case 'actions':
      return `<div class="actions">${block.buttons.slice(0, MESSAGE_LIMITS.buttonsPerBlock).map(button).join('')}</div>`;
    case 'divider':
      return '<hr>';
  }
}

/** A message as the console shows it: its blocks, or its summary when it has none. */
export function toHtml(message: ChatMessage, names: HtmlNames = {}): string {
  if (message.blocks.length === 0) {
    return `<div class="section">${inlineToHtml(message.summary, names)}</div>`;
  }
  return message.blocks.map((block) => blockHtml(block, names)).join('');
}
