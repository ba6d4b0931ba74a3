import type { RedisClient } from './redis-connection.js';
import { z } from 'zod';
import { chatUserSchema, type ChatUser } from '../domain/chat-address.js';
import type { ActionClaims, ClaimResult } from '../ports/action-claims.js';
import { keyPrefix, parseStored } from './redis-keys.js';

export interface RedisActionClaimsOptions {
  connection: RedisClient;
  /** The installation's name in Redis (its queue's name). */
  namespace: string;
}

/** As long as a message's buttons are likely to be pressed. */
const CLAIM_MEMORY_SECONDS = 30 * 24 * 3600;

const claimSchema = z.object({ by: chatUserSchema, at: z.iso.datetime() });

/** SET NX per action: the first press wins, across every bot process. */
export class RedisActionClaims implements ActionClaims {
  private readonly prefix: string;

  constructor(private readonly options: RedisActionClaimsOptions) {
    this.prefix = keyPrefix(options.namespace);
  }

  async claim(key: string, by: ChatUser): Promise<ClaimResult> {
    const redis = this.options.connection;
    const value = JSON.stringify({ by, at: new Date().toISOString() });
    const won = await redis.set(this.key(key), value, 'EX', CLAIM_MEMORY_SECONDS, 'NX');
    if (won === 'OK') return { won: true };
    const parsed = claimSchema.safeParse(parseStored(await redis.get(this.key(key))));
    if (!parsed.success)
      return { won: false, by: { id: 'U0UNKNOWN', name: 'someone' }, at: new Date() };
    return { won: false, by: parsed.data.by, at: new Date(parsed.data.at) };
  }

  async release(key: string): Promise<void> {
    await this.options.connection.del(this.key(key));
  }

  private key(key: string): string {
    return `${this.prefix}claim:${key}`;
  }
}
