/**
 * Block Kit and message limits that Slack enforces on chat.postMessage, chat.update,
 * chat.postEphemeral and response_url messages. Violations are reported the way Slack reports
 * them: a short error name plus `[ERROR] … [json-pointer:/blocks/0/text/text]` messages.
 */
import { characterCount, isJsonObject, type JsonObject, type JsonValue } from '../json.js';

export const LIMITS = {
  blocksPerMessage: 50,
  messageTextCharacters: 40_000,
  attachmentsPerMessage: 100,
  blockIdCharacters: 255,
  sectionTextCharacters: 3_000,
  sectionFields: 10,
  sectionFieldCharacters: 2_000,
  headerTextCharacters: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonTextCharacters: 75,
  actionIdCharacters: 255,
  buttonValueCharacters: 2_000,
  urlCharacters: 3_000,
  imageAltTextCharacters: 2_000,
  markdownBlockCharacters: 12_000,
} as const;

export interface BlockIssue {
  pointer: string;
  message: string;
}

/** Slack's wording for one problem, e.g. `[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]`. */
export function formatIssue(issue: BlockIssue): string {
  return `[ERROR] ${issue.message} [json-pointer:${issue.pointer}]`;
}

const MESSAGE_BLOCK_TYPES = new Set([
  'section',
  'header',
  'context',
  'divider',
  'actions',
  'rich_text',
  'image',
  'markdown',
  'file',
  'video',
]);

const INTERACTIVE_ELEMENTS = new Set([
  'button',
  'checkboxes',
  'datepicker',
  'datetimepicker',
  'timepicker',
  'overflow',
  'radio_buttons',
  'static_select',
  'external_select',
  'users_select',
  'conversations_select',
  'channels_select',
  'multi_static_select',
  'multi_external_select',
  'multi_users_select',
  'multi_conversations_select',
  'multi_channels_select',
  'workflow_button',
]);

class Checker {
  readonly issues: BlockIssue[] = [];
  private readonly blockIds = new Set<string>();
  private readonly actionIds = new Set<string>();

  fail(pointer: string, message: string): void {
    this.issues.push({ pointer, message });
  }

  maxLength(value: string, max: number, pointer: string): void {
    if (characterCount(value) > max) this.fail(pointer, `must be less than ${max + 1} characters`);
  }

  textObject(
    value: JsonValue | undefined,
    pointer: string,
    max: number,
    allowed: readonly string[] = ['plain_text', 'mrkdwn'],
  ): void {
    if (value === undefined) {
      this.fail(pointer, 'missing required field');
      return;
    }
    if (!isJsonObject(value)) {
      this.fail(pointer, 'must be an object');
      return;
    }
    const type = value.type;
    if (typeof type !== 'string' || !allowed.includes(type)) {
      this.fail(`${pointer}/type`, `must be one of: ${allowed.join(', ')}`);
    }
    const text = value.text;
    if (typeof text !== 'string') {
      this.fail(`${pointer}/text`, 'missing required field: text');
      return;
    }
    if (text.length === 0) this.fail(`${pointer}/text`, 'must be more than 0 characters');
    this.maxLength(text, max, `${pointer}/text`);
  }

  blockId(block: JsonObject, pointer: string): void {
    const id = block.block_id;
    if (id === undefined) return;
    if (typeof id !== 'string') {
      this.fail(`${pointer}/block_id`, 'must be a string');
      return;
    }
    this.maxLength(id, LIMITS.blockIdCharacters, `${pointer}/block_id`);
    if (this.blockIds.has(id)) this.fail(`${pointer}/block_id`, `duplicate block_id: ${id}`);
    this.blockIds.add(id);
  }

  element(value: JsonValue, pointer: string): void {
    if (!isJsonObject(value) || typeof value.type !== 'string') {
      this.fail(pointer, 'must be an element object with a type');
      return;
    }
    if (!INTERACTIVE_ELEMENTS.has(value.type) && value.type !== 'image') {
      this.fail(`${pointer}/type`, `unsupported type: ${value.type}`);
      return;
    }
    const actionId = value.action_id;
    if (typeof actionId === 'string') {
      this.maxLength(actionId, LIMITS.actionIdCharacters, `${pointer}/action_id`);
      if (this.actionIds.has(actionId)) {
        this.fail(`${pointer}/action_id`, `duplicate action_id: ${actionId}`);
      }
      this.actionIds.add(actionId);
    }
    if (value.type === 'button') {
      this.textObject(value.text, `${pointer}/text`, LIMITS.buttonTextCharacters, ['plain_text']);
      if (typeof value.value === 'string') {
        this.maxLength(value.value, LIMITS.buttonValueCharacters, `${pointer}/value`);
      }
      if (typeof value.url === 'string') {
        this.maxLength(value.url, LIMITS.urlCharacters, `${pointer}/url`);
      }
      const style = value.style;
      if (style !== undefined && style !== 'primary' && style !== 'danger') {
        this.fail(`${pointer}/style`, 'must be one of: primary, danger');
      }
    }
    if (value.type === 'image') this.imageElement(value, pointer);
  }

  imageElement(value: JsonObject, pointer: string): void {
    if (typeof value.image_url !== 'string' && !isJsonObject(value.slack_file)) {
      this.fail(pointer, 'must provide image_url or slack_file');
    }
    if (typeof value.alt_text !== 'string') {
      this.fail(`${pointer}/alt_text`, 'missing required field: alt_text');
    } else {
      this.maxLength(value.alt_text, LIMITS.imageAltTextCharacters, `${pointer}/alt_text`);
    }
  }

  block(value: JsonValue, pointer: string): void {
    if (!isJsonObject(value)) {
      this.fail(pointer, 'must be a block object');
      return;
    }
    const type = value.type;
    if (typeof type !== 'string') {
      this.fail(`${pointer}/type`, 'missing required field: type');
      return;
    }
    if (!MESSAGE_BLOCK_TYPES.has(type)) {
      this.fail(`${pointer}/type`, `unsupported type: ${type}`);
      return;
    }
    this.blockId(value, pointer);
    switch (type) {
      case 'section':
        this.section(value, pointer);
        break;
      case 'header':
        this.textObject(value.text, `${pointer}/text`, LIMITS.headerTextCharacters, ['plain_text']);
        break;
      case 'context':
        this.context(value, pointer);
        break;
      case 'actions':
        this.actions(value, pointer);
        break;
      case 'image':
        this.imageElement(value, pointer);
        break;
      case 'markdown':
        if (typeof value.text !== 'string') {
          this.fail(`${pointer}/text`, 'missing required field: text');
        } else {
          this.maxLength(value.text, LIMITS.markdownBlockCharacters, `${pointer}/text`);
        }
        break;
      case 'rich_text':
        if (!Array.isArray(value.elements)) {
          this.fail(`${pointer}/elements`, 'missing required field: elements');
        }
        break;
      default:
        break;
    }
  }

  section(block: JsonObject, pointer: string): void {
    const fields = block.fields;
    if (block.text === undefined && fields === undefined) {
      this.fail(pointer, 'must provide either text or fields');
    }
    if (block.text !== undefined) {
      this.textObject(block.text, `${pointer}/text`, LIMITS.sectionTextCharacters);
    }
    if (fields !== undefined) {
      if (!Array.isArray(fields)) {
        this.fail(`${pointer}/fields`, 'must be an array');
      } else {
        if (fields.length > LIMITS.sectionFields) {
          this.fail(`${pointer}/fields`, `no more than ${LIMITS.sectionFields} items allowed`);
        }
        fields.forEach((field, index) => {
          this.textObject(field, `${pointer}/fields/${index}`, LIMITS.sectionFieldCharacters);
        });
      }
    }
    if (block.accessory !== undefined) this.element(block.accessory, `${pointer}/accessory`);
  }

  context(block: JsonObject, pointer: string): void {
    const elements = block.elements;
    if (!Array.isArray(elements) || elements.length === 0) {
      this.fail(`${pointer}/elements`, 'must provide at least one element');
      return;
    }
    if (elements.length > LIMITS.contextElements) {
      this.fail(`${pointer}/elements`, `no more than ${LIMITS.contextElements} items allowed`);
    }
    elements.forEach((element, index) => {
      const at = `${pointer}/elements/${index}`;
      if (isJsonObject(element) && element.type === 'image') this.imageElement(element, at);
      else this.textObject(element, at, LIMITS.sectionTextCharacters);
    });
  }

  actions(block: JsonObject, pointer: string): void {
    const elements = block.elements;
    if (!Array.isArray(elements) || elements.length === 0) {
      this.fail(`${pointer}/elements`, 'must provide at least one element');
      return;
    }
    if (elements.length > LIMITS.actionsElements) {
      this.fail(`${pointer}/elements`, `no more than ${LIMITS.actionsElements} items allowed`);
    }
    elements.forEach((element, index) => {
      if (isJsonObject(element) && element.type === 'image') {
        this.fail(`${pointer}/elements/${index}/type`, 'unsupported type: image');
        return;
      }
      this.element(element, `${pointer}/elements/${index}`);
    });
  }
}

/** Checks a `blocks` array against Slack's limits; an empty list means Slack would accept it. */
export function checkBlocks(blocks: JsonValue[], pointer = '/blocks'): BlockIssue[] {
  const checker = new Checker();
  if (blocks.length > LIMITS.blocksPerMessage) {
    checker.fail(pointer, `no more than ${LIMITS.blocksPerMessage} items allowed`);
  }
  blocks.forEach((block, index) => {
    checker.block(block, `${pointer}/${index}`);
  });
  return checker.issues;
}

/** A message's content as the methods and response_url receive it, already decoded from JSON. */
export interface MessageContent {
  text?: string;
  blocks?: JsonValue[];
  attachments?: JsonValue[];
}

export type MessageCheck =
  | { ok: true }
  | { ok: false; error: 'no_text' | 'msg_too_long' | 'too_many_attachments' }
  | { ok: false; error: 'invalid_blocks' | 'invalid_attachments'; issues: BlockIssue[] };

/**
 * The checks chat.postMessage applies to a message's content, in Slack's order. A file share
 * may have no text at all (`requireContent: false`).
 */
export function checkMessage(content: MessageContent, requireContent = true): MessageCheck {
  const text = content.text ?? '';
  const blocks = content.blocks ?? [];
  const attachments = content.attachments ?? [];
  const empty = text.trim() === '' && blocks.length === 0 && attachments.length === 0;
  if (requireContent && empty) {
    return { ok: false, error: 'no_text' };
  }
  if (characterCount(text) > LIMITS.messageTextCharacters)
    return { ok: false, error: 'msg_too_long' };
  if (attachments.length > LIMITS.attachmentsPerMessage) {
    return { ok: false, error: 'too_many_attachments' };
  }
  const blockIssues = checkBlocks(blocks);
  if (blockIssues.length > 0) return { ok: false, error: 'invalid_blocks', issues: blockIssues };
  const attachmentIssues: BlockIssue[] = [];
  attachments.forEach((attachment, index) => {
    if (!isJsonObject(attachment)) {
      attachmentIssues.push({ pointer: `/attachments/${index}`, message: 'must be an object' });
      return;
    }
    const nested = attachment.blocks;
    if (Array.isArray(nested))
      attachmentIssues.push(...checkBlocks(nested, `/attachments/${index}/blocks`));
  });
  if (attachmentIssues.length > 0) {
    return { ok: false, error: 'invalid_attachments', issues: attachmentIssues };
  }
  return { ok: true };
}
