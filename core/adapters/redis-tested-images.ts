import { z } from 'zod';
import type { TestedImageRecord, TestedImages } from '../ports/tested-images.js';
import type { RedisClient } from './redis-connection.js';
import { keyPrefix, parseStored } from './redis-keys.js';

export interface RedisTestedImagesOptions {
  connection: RedisClient;
  /** The installation's name in Redis (its queue's name). */
  namespace: string;
  /** How long a pass is trusted without a new one (30 days). */
  keepSeconds?: number;
}

const recordSchema = z.strictObject({
  digest: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  testedAt: z.iso.datetime(),
  gate: z.string().min(1),
});

/** One key per tested image reference, expiring, so that no pass is trusted forever. */
export class RedisTestedImages implements TestedImages {
  private readonly prefix: string;
  private readonly keepSeconds: number;

  constructor(private readonly options: RedisTestedImagesOptions) {
    this.prefix = keyPrefix(options.namespace);
    this.keepSeconds = options.keepSeconds ?? 30 * 24 * 3600;
  }

  async record(reference: string, record: TestedImageRecord): Promise<void> {
    const stored = JSON.stringify(recordSchema.parse(record));
    await this.options.connection.set(this.key(reference), stored, 'EX', this.keepSeconds);
  }

  async find(reference: string): Promise<TestedImageRecord | undefined> {
    const stored = await this.options.connection.get(this.key(reference));
    const parsed = recordSchema.safeParse(parseStored(stored));
    // A record this version cannot read is no record: the image is tested again.
    return parsed.success ? parsed.data : undefined;
  }

  async forget(reference: string): Promise<void> {
    await this.options.connection.del(this.key(reference));
  }

  private key(reference: string): string {
    return `${this.prefix}tested-image:${reference}`;
  }
}
