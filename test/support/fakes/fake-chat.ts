import { plainText, type ChatMessage } from '../../../core/ports/chat-message.js';
import {
  ChatError,
  type Chat,
  type ChatMessageRef,
  type ChatTextFile,
} from '../../../core/ports/chat.js';
import type { Clock } from '../../../core/ports/clock.js';

type Method = 'post' | 'update' | 'reply' | 'uploadText' | 'permalink';

export interface ChatCall {
  method: Method;
  channel: string;
  /** The message posted or updated, or the thread replied or uploaded to. */
  id: string;
  message?: ChatMessage;
  file?: ChatTextFile;
  /** The fake clock's time of the call, when the chat has a clock. */
  at?: number;
  /** The error code, for a call that failed. */
  failed?: string;
}

/** A chat message as a person would read it, without markup: one line per block. */
export function readMessage(message: ChatMessage): string {
  return message.blocks
    .map((block) => {
      switch (block.kind) {
        case 'section':
        case 'context':
          return plainText(block.content);
        case 'heading':
          return block.text;
        case 'actions':
          return block.buttons.map((button) => `[${button.label}]`).join(' ');
        case 'divider':
          return '---';
      }
    })
    .join('\n');
}

/** The Chat port in memory: what was posted where, with failures a test asks for. */
export class FakeChat implements Chat {
  readonly calls: ChatCall[] = [];
  /** The latest version of each message by id, and the replies under it. */
  readonly messages = new Map<
    string,
    { channel: string; message: ChatMessage; replies: ChatMessage[] }
  >();
  private readonly failures: { method: Method; error: ChatError }[] = [];
  private sequence = 0;

  constructor(private readonly clock?: Clock) {}

  /** The next call of `method` fails with `error` (failures queue up in order). */
  failNext(method: Method, error: ChatError): void {
    this.failures.push({ method, error });
  }

  /** The calls of one method that succeeded. */
  callsTo(method: Method): ChatCall[] {
    return this.calls.filter((call) => call.method === method && call.failed === undefined);
  }

  /** A message as a person reads it now. */
  read(id: string): string {
    const entry = this.messages.get(id);
    if (entry === undefined) throw new Error(`no message ${id}`);
    return readMessage(entry.message);
  }

  post(channel: string, message: ChatMessage): Promise<string> {
    return this.call('post', () => {
      const id = this.newId();
      this.messages.set(id, { channel, message, replies: [] });
      this.record({ method: 'post', channel, id, message });
      return id;
    });
  }

  update(target: ChatMessageRef, message: ChatMessage): Promise<void> {
    return this.call('update', () => {
      const entry = this.existing(target);
      entry.message = message;
      this.record({ method: 'update', channel: target.channel, id: target.id, message });
    });
  }

  reply(thread: ChatMessageRef, message: ChatMessage): Promise<string> {
    return this.call('reply', () => {
      this.existing(thread).replies.push(message);
      this.record({ method: 'reply', channel: thread.channel, id: thread.id, message });
      return this.newId();
    });
  }

  uploadText(thread: ChatMessageRef, file: ChatTextFile): Promise<void> {
    return this.call('uploadText', () => {
      this.existing(thread);
      this.record({ method: 'uploadText', channel: thread.channel, id: thread.id, file });
    });
  }

  permalink(target: ChatMessageRef): Promise<string> {
    return this.call('permalink', () => {
      this.existing(target);
      this.record({ method: 'permalink', channel: target.channel, id: target.id });
      return `https://chat.example/${target.channel}/${target.id}`;
    });
  }

  private call<T>(method: Method, run: () => T): Promise<T> {
    const index = this.failures.findIndex((failure) => failure.method === method);
    const failure = index >= 0 ? this.failures.splice(index, 1)[0] : undefined;
    try {
      if (failure !== undefined) throw failure.error;
      return Promise.resolve(run());
    } catch (error) {
      const code = error instanceof ChatError ? (error.code ?? error.kind) : 'error';
      this.calls.push({ method, channel: '', id: '', failed: code, ...this.now() });
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private existing(target: ChatMessageRef) {
    const entry = this.messages.get(target.id);
    if (entry === undefined || entry.channel !== target.channel) {
      throw new ChatError('not_found', `no message ${target.id} in ${target.channel}`, {
        code: 'message_not_found',
      });
    }
    return entry;
  }

  private record(call: ChatCall): void {
    this.calls.push({ ...call, ...this.now() });
  }

  private now(): { at?: number } {
    return this.clock === undefined ? {} : { at: this.clock.now() };
  }

  private newId(): string {
    this.sequence += 1;
    return `1700000000.${String(this.sequence).padStart(6, '0')}`;
  }
}
