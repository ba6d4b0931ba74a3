import type { RedisClient } from './redis-connection.js';
import { chatUserSchema, type ChatUser } from '../domain/chat-address.js';
import type { CancelRequests } from '../ports/cancel-requests.js';
import { keyPrefix, parseStored } from './redis-keys.js';

export interface RedisCancelRequestsOptions {
  connection: RedisClient;
  /** The installation's name in Redis (its queue's name). */
  namespace: string;
}

/** Longer than any deploy runs: a cancel is kept until its deploy has surely seen it. */
const CANCEL_MEMORY_SECONDS = 24 * 3600;

/** A key per cancelled job, which the worker running it polls. */
export class RedisCancelRequests implements CancelRequests {
  private readonly prefix: string;

  constructor(private readonly options: RedisCancelRequestsOptions) {
    this.prefix = keyPrefix(options.namespace);
  }

  async request(jobId: string, by: ChatUser): Promise<void> {
    // The first to cancel is the one the message names.
    await this.options.connection.set(
      this.key(jobId),
      JSON.stringify(by),
      'EX',
      CANCEL_MEMORY_SECONDS,
      'NX',
    );
  }

  async requestedBy(jobId: string): Promise<ChatUser | undefined> {
    const stored = await this.options.connection.get(this.key(jobId));
    if (stored === null) return undefined;
    const parsed = chatUserSchema.safeParse(parseStored(stored));
    // A cancel this version cannot read is still a cancel.
    return parsed.success ? parsed.data : { id: 'U0UNKNOWN', name: 'someone' };
  }

  private key(jobId: string): string {
    return `${this.prefix}cancel:${jobId}`;
  }
}
