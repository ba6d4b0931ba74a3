import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Lease, LockHolder, ReleaseLock } from '../ports/release-lock.js';
import type { RedisClient } from './redis-connection.js';

export interface RedisReleaseLockOptions {
  connection: RedisClient;
  /** How long a lock outlives a worker that stopped renewing it. */
  ttlMs?: number;
}

const holderSchema = z.object({
  jobId: z.string(),
  deploy: z.object({ service: z.string(), ref: z.string(), environment: z.string() }).optional(),
  requestedBy: z.string().optional(),
});

/** The holder as stored; one this version cannot read is still someone else's job. */
function readHolder(stored: string): LockHolder {
  try {
    const parsed = holderSchema.safeParse(JSON.parse(stored));
    if (parsed.success) return parsed.data;
  } catch {
    // Not JSON: fall through.
  }
  return { jobId: 'unknown' };
}

/** Deletes or renews the key only while it still holds our value, atomically. */
const RELEASE_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const RENEW_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

/**
 * A lease in Redis: SET NX PX, renewed while held, so a dead worker's lock lapses after `ttlMs`.
 * Each lease is its own (a token beside the holder): a job's later attempt, after a worker lost
 * the job but not its life, waits for the earlier attempt's lease like any other deploy.
 */
export class RedisReleaseLock implements ReleaseLock {
  private readonly ttlMs: number;

  constructor(private readonly options: RedisReleaseLockOptions) {
    this.ttlMs = options.ttlMs ?? 30_000;
  }

  async tryAcquire(key: string, holder: LockHolder): Promise<Lease | { heldBy: LockHolder }> {
    const redis = this.options.connection;
    const lockKey = `harbormaster:release-lock:${key}`;
    const value = JSON.stringify({ ...holder, lease: randomUUID() });
    const taken = await redis.set(lockKey, value, 'PX', this.ttlMs, 'NX');
    if (taken !== 'OK') {
      const current = await redis.get(lockKey);
      // Gone when it just lapsed: try again.
      if (current === null) return this.tryAcquire(key, holder);
      return { heldBy: readHolder(current) };
    }

    const renew = setInterval(
      () => {
        redis.eval(RENEW_SCRIPT, 1, lockKey, value, String(this.ttlMs)).catch(() => undefined);
      },
      Math.floor(this.ttlMs / 3),
    );
    renew.unref();
    return {
      release: async () => {
        clearInterval(renew);
        await redis.eval(RELEASE_SCRIPT, 1, lockKey, value);
      },
    };
  }
}
