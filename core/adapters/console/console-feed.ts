import type { RedisClient } from '../redis-connection.js';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../logger.js';
import { consoleStreamKey } from './console-address.js';
import { parseEntries, type ConsoleEntry } from './console-events.js';

export interface ConsoleFeedOptions {
  /** For reading a channel's history: a connection that answers or fails. */
  redis: RedisClient;
  /** Its own connection, blocked on XREAD while it waits for new entries. */
  follow: RedisClient;
  queueName: string;
  /** The channels the console shows. */
  channels: readonly string[];
  logger: Logger;
  /** How long one XREAD waits before it asks again. */
  blockMs?: number;
}

export type FeedListener = (entry: ConsoleEntry) => void;

/**
 * What the console's channels hold, and what is added to them as it happens: one loop reads
 * every channel's stream (XREAD BLOCK) and hands each new entry to the browsers watching it.
 */
export class ConsoleFeed {
  private readonly listeners = new Map<string, Set<FeedListener>>();
  private readonly lastIds = new Map<string, string>();
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(private readonly options: ConsoleFeedOptions) {}

  /** Everything a channel's stream still holds, oldest first. */
  async history(channel: string): Promise<ConsoleEntry[]> {
    const key = consoleStreamKey(this.options.queueName, channel);
    return parseEntries(await this.options.redis.xrange(key, '-', '+'));
  }

  /** Calls `listener` with each entry added to `channel` from now on; returns the unsubscribe. */
  subscribe(channel: string, listener: FeedListener): () => void {
    const set = this.listeners.get(channel) ?? new Set<FeedListener>();
    set.add(listener);
    this.listeners.set(channel, set);
    return () => set.delete(listener);
  }

  /** Starts following the channels from their current end. */
  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    // A blocked XREAD ends only with its connection.
    this.options.follow.disconnect();
    await this.loop;
  }

  private stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  private async run(): Promise<void> {
    while (!this.stopped()) {
      try {
        if (this.lastIds.size === 0) await this.findEnds();
        await this.readOnce();
      } catch (error) {
        if (this.stopped()) return;
        this.options.logger.warn({ err: error }, 'console feed could not read RedisClient');
        await sleep(1000, undefined, { signal: this.stopping.signal }).catch(() => undefined);
      }
    }
  }

  /** Where each stream ends now: what comes after is new. */
  private async findEnds(): Promise<void> {
    const ends = await Promise.all(
      this.options.channels.map(async (channel) => {
        const key = consoleStreamKey(this.options.queueName, channel);
        const last = await this.options.redis.xrevrange(key, '+', '-', 'COUNT', 1);
        return [channel, last[0]?.[0] ?? '0-0'] as const;
      }),
    );
    for (const [channel, id] of ends) this.lastIds.set(channel, id);
  }

  private async readOnce(): Promise<void> {
    const { channels, queueName } = this.options;
    const keys = channels.map((channel) => consoleStreamKey(queueName, channel));
    const ids = channels.map((channel) => this.lastIds.get(channel) ?? '0-0');
    const result = await this.options.follow.xread(
      'BLOCK',
      this.options.blockMs ?? 5000,
      'STREAMS',
      ...keys,
      ...ids,
    );
    for (const [key, raw] of result ?? []) {
      const channel = channels[keys.indexOf(key)];
      const last = raw.at(-1);
      if (channel === undefined || last === undefined) continue;
      this.lastIds.set(channel, last[0]);
      for (const entry of parseEntries(raw)) {
        for (const listener of this.listeners.get(channel) ?? []) listener(entry);
      }
    }
  }
}
