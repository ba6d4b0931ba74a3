import type { RedisClient } from '../redis-connection.js';
import type { ChatMessage } from '../../ports/chat-message.js';
import { ChatError, type Chat, type ChatMessageRef, type ChatTextFile } from '../../ports/chat.js';
import { consolePermalink, consoleStreamKey } from './console-address.js';
import { EVENT_FIELD, type ConsoleEvent } from './console-events.js';

export interface ConsoleChatOptions {
  /** A connection that answers or fails (not one that waits out an outage for ever). */
  redis: RedisClient;
  /** The deploy queue's name: bot and workers of one installation share its console. */
  queueName: string;
  /** Each call's time limit; a Redis that does not answer in time is `unavailable`. */
  timeoutMs?: number;
  /** How many events each channel keeps (approximately): the console's history. */
  maxEvents?: number;
}

/**
 * The chat port over the web console: every post, update, reply and file is an entry in the
 * channel's Redis stream, which the bot's console reads and shows live. Bot and workers are
 * separate processes; the stream is where they meet, and it survives their restarts.
 */
export class ConsoleChat implements Chat {
  private readonly timeoutMs: number;
  private readonly maxEvents: number;

  constructor(private readonly options: ConsoleChatOptions) {
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.maxEvents = options.maxEvents ?? 5000;
  }

  async post(channel: string, message: ChatMessage): Promise<string> {
    return this.append(channel, { type: 'post', message });
  }

  async update(target: ChatMessageRef, message: ChatMessage): Promise<void> {
    await this.requireMessage(target, 'message_not_found');
    await this.append(target.channel, { type: 'update', target: target.id, message });
  }

  async reply(thread: ChatMessageRef, message: ChatMessage): Promise<string> {
    await this.requireMessage(thread, 'thread_not_found');
    return this.append(thread.channel, { type: 'reply', thread: thread.id, message });
  }

  async uploadText(thread: ChatMessageRef, file: ChatTextFile): Promise<void> {
    await this.requireMessage(thread, 'thread_not_found');
    await this.append(thread.channel, { type: 'file', thread: thread.id, file });
  }

  permalink(target: ChatMessageRef): Promise<string> {
    return Promise.resolve(consolePermalink(target.channel, target.id));
  }

  private key(channel: string): string {
    return consoleStreamKey(this.options.queueName, channel);
  }

  private async append(channel: string, event: ConsoleEvent): Promise<string> {
    const id = await this.call('append', () =>
      this.options.redis.xadd(
        this.key(channel),
        'MAXLEN',
        '~',
        this.maxEvents,
        '*',
        EVENT_FIELD,
        JSON.stringify(event),
      ),
    );
    if (id === null) throw new ChatError('unavailable', 'the console stream took no entry');
    return id;
  }

  /** A message the stream no longer has (or never had) cannot be updated or replied to. */
  private async requireMessage(target: ChatMessageRef, code: string): Promise<void> {
    if (!/^\d+-\d+$/.test(target.id)) {
      throw new ChatError('not_found', `no console message ${target.id}`, { code });
    }
    const found = await this.call('read', () =>
      this.options.redis.xrange(this.key(target.channel), target.id, target.id),
    );
    if (found.length === 0) {
      throw new ChatError('not_found', `no console message ${target.id}`, { code });
    }
  }

  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        reject(new ChatError('unavailable', `the console's Redis did not answer (${what})`));
      }, this.timeoutMs);
    });
    try {
      return await Promise.race([run(), late]);
    } catch (error) {
      if (error instanceof ChatError) throw error;
      throw new ChatError('unavailable', `the console's Redis failed (${what})`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }
}
