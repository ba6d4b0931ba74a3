import type { ChatTextFile } from '../../ports/chat.js';
import type { ChatMessage } from '../../ports/chat-message.js';
import { compareIds, type ConsoleEntry } from './console-events.js';
import { escapeHtml, toHtml, type HtmlNames } from './render-html.js';

/** One message as the browser places it: top level, or in the thread under `thread`. */
export interface ViewItem {
  id: string;
  /** When it was first posted (ms since the epoch: a stream id's first part). */
  postedAt: number;
  thread?: string;
  html: string;
}

export interface ViewMessage extends ViewItem {
  replies: ViewItem[];
}

/** How many top-level messages a page shows at first. */
const SHOWN_MESSAGES = 200;

function postedAt(id: string): number {
  return Number(id.split('-')[0]);
}

/** A file shared into a thread: its comment, then the file, opened on demand. */
export function fileHtml(file: ChatTextFile): string {
  const comment =
    file.comment === undefined ? '' : `<div class="section">${escapeHtml(file.comment)}</div>`;
  const title = escapeHtml(file.title ?? file.filename);
  const name =
    file.title === undefined ? '' : ` <span class="file-name">${escapeHtml(file.filename)}</span>`;
  return `${comment}<details class="file"><summary>📄 ${title}${name}</summary><pre>${escapeHtml(file.content)}</pre></details>`;
}

/** What one entry changes, as the browser applies it: a new item, or new content for one. */
export function viewItemOf(entry: ConsoleEntry, names: HtmlNames): ViewItem {
  const { id, event } = entry;
  const html = (message: ChatMessage) => toHtml(message, names);
  switch (event.type) {
    case 'post':
      return { id, postedAt: postedAt(id), html: html(event.message) };
    case 'update':
      return { id: event.target, postedAt: postedAt(event.target), html: html(event.message) };
    case 'reply':
      return { id, postedAt: postedAt(id), thread: event.thread, html: html(event.message) };
    case 'file':
      return { id, postedAt: postedAt(id), thread: event.thread, html: fileHtml(event.file) };
  }
}

/**
 * A channel's entries folded into what it shows now: each message as last updated, with its
 * thread. A message whose post was trimmed from the stream is still shown from its last update;
 * a reply whose message is gone is left out.
 */
export function foldEntries(entries: readonly ConsoleEntry[], names: HtmlNames): ViewMessage[] {
  const messages = new Map<string, ViewMessage>();
  for (const entry of entries) {
    const item = viewItemOf(entry, names);
    if (item.thread === undefined) {
      const existing = messages.get(item.id);
      if (existing) existing.html = item.html;
      else messages.set(item.id, { ...item, replies: [] });
      continue;
    }
    messages.get(item.thread)?.replies.push(item);
  }
  return [...messages.values()].sort((a, b) => compareIds(a.id, b.id)).slice(-SHOWN_MESSAGES);
}
