/**
 * Renders Block Kit (and legacy attachments) to the lines of plain text a person would read in
 * Slack. Buttons show as `[Label]`, dividers as `---`, images as `[image: alt text]`.
 */
import { arrayField, isJsonObject, stringField, type JsonObject, type JsonValue } from '../json.js';
import { decodeEntities, renderMrkdwn, type NameLookup } from './mrkdwn.js';

export type { NameLookup } from './mrkdwn.js';

/** A text object: `plain_text` is shown literally, `mrkdwn` is rendered. */
export function renderTextObject(value: JsonValue | undefined, names: NameLookup): string {
  if (!isJsonObject(value)) return '';
  const text = stringField(value, 'text') ?? '';
  return value.type === 'mrkdwn' ? renderMrkdwn(text, names) : text;
}

function renderElement(value: JsonValue, names: NameLookup): string {
  if (!isJsonObject(value)) return '';
  switch (value.type) {
    case 'button':
      return `[${renderTextObject(value.text, names)}]`;
    case 'image':
      return `[image: ${stringField(value, 'alt_text') ?? ''}]`;
    case 'overflow':
      return '[…]';
    case 'plain_text':
    case 'mrkdwn':
      return renderTextObject(value, names);
    default: {
      const placeholder = renderTextObject(value.placeholder, names);
      return `[${placeholder === '' ? (typeof value.type === 'string' ? value.type : 'element') : placeholder} ▾]`;
    }
  }
}

function renderRichElement(value: JsonValue, names: NameLookup): string {
  if (!isJsonObject(value)) return '';
  switch (value.type) {
    case 'text':
      return stringField(value, 'text') ?? '';
    case 'link':
      return stringField(value, 'text') ?? stringField(value, 'url') ?? '';
    case 'user': {
      const id = stringField(value, 'user_id') ?? '';
      return `@${names.userName(id) ?? id}`;
    }
    case 'usergroup': {
      const id = stringField(value, 'usergroup_id') ?? '';
      return `@${names.groupHandle(id) ?? id}`;
    }
    case 'channel': {
      const id = stringField(value, 'channel_id') ?? '';
      return `#${names.channelName(id) ?? id}`;
    }
    case 'emoji':
      return `:${stringField(value, 'name') ?? ''}:`;
    case 'broadcast':
      return `@${stringField(value, 'range') ?? ''}`;
    case 'date':
      return stringField(value, 'fallback') ?? '';
    default:
      return '';
  }
}

function richInline(container: JsonObject, names: NameLookup): string {
  return (arrayField(container, 'elements') ?? []).map((e) => renderRichElement(e, names)).join('');
}

function renderRichText(block: JsonObject, names: NameLookup): string[] {
  const lines: string[] = [];
  for (const part of arrayField(block, 'elements') ?? []) {
    if (!isJsonObject(part)) continue;
    switch (part.type) {
      case 'rich_text_section':
        lines.push(...richInline(part, names).split('\n'));
        break;
      case 'rich_text_preformatted':
        lines.push(...richInline(part, names).split('\n'));
        break;
      case 'rich_text_quote':
        lines.push(
          ...richInline(part, names)
            .split('\n')
            .map((line) => `> ${line}`),
        );
        break;
      case 'rich_text_list': {
        const ordered = part.style === 'ordered';
        const indent = '  '.repeat(typeof part.indent === 'number' ? part.indent : 0);
        (arrayField(part, 'elements') ?? []).forEach((item, index) => {
          const bullet = ordered ? `${index + 1}.` : '•';
          const text = isJsonObject(item) ? richInline(item, names) : '';
          lines.push(`${indent}${bullet} ${text}`);
        });
        break;
      }
      default:
        break;
    }
  }
  return lines;
}

/** Renders one block to zero or more lines. */
export function renderBlock(block: JsonValue, names: NameLookup): string[] {
  if (!isJsonObject(block)) return [];
  switch (block.type) {
    case 'header':
    case 'markdown':
      return (
        block.type === 'header'
          ? renderTextObject(block.text, names)
          : (stringField(block, 'text') ?? '')
      ).split('\n');
    case 'divider':
      return ['---'];
    case 'section': {
      const lines: string[] = [];
      if (block.text !== undefined) lines.push(...renderTextObject(block.text, names).split('\n'));
      for (const field of arrayField(block, 'fields') ?? []) {
        lines.push(...renderTextObject(field, names).split('\n'));
      }
      if (block.accessory !== undefined) lines.push(renderElement(block.accessory, names));
      return lines;
    }
    case 'context':
      return [(arrayField(block, 'elements') ?? []).map((e) => renderElement(e, names)).join('  ')];
    case 'actions':
      return [(arrayField(block, 'elements') ?? []).map((e) => renderElement(e, names)).join(' ')];
    case 'image': {
      const title = renderTextObject(block.title, names);
      const alt = stringField(block, 'alt_text') ?? '';
      return [title === '' ? `[image: ${alt}]` : `[image: ${alt}] ${title}`];
    }
    case 'rich_text':
      return renderRichText(block, names);
    case 'file':
      return [`[file: ${stringField(block, 'external_id') ?? ''}]`];
    case 'video':
      return [`[video: ${renderTextObject(block.title, names)}]`];
    default:
      return [];
  }
}

function renderAttachment(attachment: JsonValue, names: NameLookup): string[] {
  if (!isJsonObject(attachment)) return [];
  const lines: string[] = [];
  const blocks = arrayField(attachment, 'blocks');
  for (const key of ['pretext', 'title', 'text']) {
    const value = stringField(attachment, key);
    if (value !== undefined && value !== '') lines.push(...renderMrkdwn(value, names).split('\n'));
  }
  for (const field of arrayField(attachment, 'fields') ?? []) {
    if (!isJsonObject(field)) continue;
    const title = stringField(field, 'title') ?? '';
    const value = renderMrkdwn(stringField(field, 'value') ?? '', names);
    lines.push(title === '' ? value : `${title}: ${value}`);
  }
  if (blocks !== undefined) lines.push(...renderBlocks(blocks, names));
  const footer = stringField(attachment, 'footer');
  if (footer !== undefined) lines.push(renderMrkdwn(footer, names));
  if (lines.length === 0) {
    const fallback = stringField(attachment, 'fallback');
    if (fallback !== undefined) lines.push(decodeEntities(fallback));
  }
  return lines.map((line) => `| ${line}`);
}

export function renderBlocks(blocks: readonly JsonValue[], names: NameLookup): string[] {
  return blocks.flatMap((block) => renderBlock(block, names));
}

export interface RenderableContent {
  text: string;
  blocks: readonly JsonValue[];
  attachments: readonly JsonValue[];
}

/**
 * What a person sees of a message: its blocks when it has any (the `text` is then only the
 * notification fallback), otherwise its text; then its attachments.
 */
export function renderContent(content: RenderableContent, names: NameLookup): string[] {
  const body =
    content.blocks.length > 0
      ? renderBlocks(content.blocks, names)
      : content.text === ''
        ? []
        : renderMrkdwn(content.text, names).split('\n');
  const attachments = content.attachments.flatMap((a) => renderAttachment(a, names));
  return [...body, ...attachments];
}
