/**
 * Everything that was said in the fake workspace: channel messages with their thread replies
 * and edit history, ephemeral messages per person, and shared files. The Web API methods and
 * the response_url handler write here; transcript-view.ts reads it as a person would.
 */
import { EventEmitter } from 'node:events';
import type { Clock } from './clock.js';
import { isJsonObject, type JsonObject, type JsonValue } from './json.js';

/** How a message came to be, which a test may care about ("was this posted via response_url?"). */
export type MessageOrigin = 'web_api' | 'response_url' | 'command_ack' | 'file_share' | 'user';

export interface MessageContent {
  text: string;
  blocks: JsonObject[];
  attachments: JsonObject[];
}

export interface MessageVersion extends MessageContent {
  /** When this version was replaced, as a Slack ts. */
  replacedAt: string;
  origin: MessageOrigin;
}

export interface SharedFile {
  id: string;
  name: string;
  title: string;
  bytes: Buffer;
  /** The content decoded as UTF-8, for reading logs and reports. */
  content: string;
}

export interface StoredMessage {
  ts: string;
  channel: string;
  threadTs?: string;
  author: string;
  origin: MessageOrigin;
  content: MessageContent;
  history: MessageVersion[];
  files: SharedFile[];
  deleted: boolean;
  replyBroadcast: boolean;
}

export interface StoredEphemeral {
  ts: string;
  channel: string;
  recipient: string;
  author: string;
  threadTs?: string;
  origin: MessageOrigin;
  content: MessageContent;
  history: MessageVersion[];
  deleted: boolean;
}

export interface NewMessage {
  channel: string;
  author: string;
  origin: MessageOrigin;
  content: MessageContent;
  threadTs?: string;
  replyBroadcast?: boolean;
  files?: SharedFile[];
}

export interface NewEphemeral {
  channel: string;
  recipient: string;
  author: string;
  origin: MessageOrigin;
  content: MessageContent;
  threadTs?: string;
}

export class TranscriptStore {
  readonly messages: StoredMessage[] = [];
  readonly ephemerals: StoredEphemeral[] = [];
  private readonly events = new EventEmitter();
  private lastMicros = 0;
  private generatedIds = 0;

  constructor(private readonly clock: Clock) {}

  /** A fresh Slack timestamp ("1736931600.000001"): unique and increasing, from the clock. */
  nextTs(): string {
    this.lastMicros = Math.max(this.lastMicros + 1, this.clock.now() * 1000);
    const seconds = Math.floor(this.lastMicros / 1_000_000);
    const micros = this.lastMicros % 1_000_000;
    return `${seconds}.${String(micros).padStart(6, '0')}`;
  }

  /**
   * Slack gives every block a block_id and every interactive element an action_id when the
   * message is stored; interaction payloads then carry those ids.
   */
  normalizeBlocks(blocks: readonly JsonValue[]): JsonObject[] {
    return blocks.filter(isJsonObject).map((block) => {
      const copy: JsonObject = structuredClone(block);
      if (typeof copy.block_id !== 'string') copy.block_id = this.generatedId('b');
      const withActionId = (element: JsonValue): JsonValue => {
        if (!isJsonObject(element) || element.type === 'image') return element;
        if (typeof element.action_id === 'string') return element;
        return { ...element, action_id: this.generatedId('a') };
      };
      if (Array.isArray(copy.elements) && copy.type === 'actions') {
        copy.elements = copy.elements.map(withActionId);
      }
      if (copy.accessory !== undefined) copy.accessory = withActionId(copy.accessory);
      return copy;
    });
  }

  private generatedId(prefix: string): string {
    this.generatedIds += 1;
    return `${prefix}${this.generatedIds.toString(36).padStart(4, '0')}`;
  }

  post(input: NewMessage): StoredMessage {
    const message: StoredMessage = {
      ts: this.nextTs(),
      channel: input.channel,
      author: input.author,
      origin: input.origin,
      content: input.content,
      history: [],
      files: input.files ?? [],
      deleted: false,
      replyBroadcast: input.replyBroadcast ?? false,
      ...(input.threadTs === undefined ? {} : { threadTs: input.threadTs }),
    };
    this.messages.push(message);
    this.changed();
    return message;
  }

  find(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts && !m.deleted);
  }

  replace(
    message: StoredMessage | StoredEphemeral,
    content: MessageContent,
    origin: MessageOrigin,
  ): void {
    message.history.push({ ...message.content, replacedAt: this.nextTs(), origin: message.origin });
    message.content = content;
    message.origin = origin;
    this.changed();
  }

  delete(message: StoredMessage | StoredEphemeral): void {
    message.deleted = true;
    this.changed();
  }

  postEphemeral(input: NewEphemeral): StoredEphemeral {
    const message: StoredEphemeral = {
      ts: this.nextTs(),
      channel: input.channel,
      recipient: input.recipient,
      author: input.author,
      origin: input.origin,
      content: input.content,
      history: [],
      deleted: false,
      ...(input.threadTs === undefined ? {} : { threadTs: input.threadTs }),
    };
    this.ephemerals.push(message);
    this.changed();
    return message;
  }

  findEphemeral(channel: string, ts: string): StoredEphemeral | undefined {
    return this.ephemerals.find((m) => m.channel === channel && m.ts === ts && !m.deleted);
  }

  onChange(listener: () => void): () => void {
    this.events.on('change', listener);
    return () => this.events.off('change', listener);
  }

  private changed(): void {
    this.events.emit('change');
  }
}

/** Compares Slack timestamps numerically ("9.000001" < "10.000000"). */
export function compareTs(a: string, b: string): number {
  const [aSec = '0', aMicro = '0'] = a.split('.');
  const [bSec = '0', bMicro = '0'] = b.split('.');
  const seconds = Number(aSec) - Number(bSec);
  return seconds !== 0 ? seconds : Number(aMicro) - Number(bMicro);
}
