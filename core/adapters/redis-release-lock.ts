import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { DeployError } from '../domain/deploy-error.js';
import type { Lease, LockHolder, ReleaseLock } from '../ports/release-lock.js';

export interface RedisReleaseLockOptions {
  connection: Redis;
  /** How long a lock outlives a worker that stopped renewing it. */
  ttlMs?: number;
  pollMs?: number;
}

/** Deletes or renews the key only while it still holds our value, atomically. */
const RELEASE_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const RENEW_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

/** A lease in Redis: SET NX PX, renewed while held, so a dead worker's lock lapses after `ttlMs`. */
export class RedisReleaseLock implements ReleaseLock {
  private readonly ttlMs: number;
  private readonly pollMs: number;

  constructor(private readonly options: RedisReleaseLockOptions) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.pollMs = options.pollMs ?? 500;
  }

  async acquire(
    key: string,
    holder: LockHolder,
    options: { signal: AbortSignal; onWaiting?: (holder: LockHolder) => void },
  ): Promise<Lease> {
    const redis = this.options.connection;
    const lockKey = `harbormaster:release-lock:${key}`;
    const value = JSON.stringify(holder);
    let toldWaiting = false;
    for (;;) {
      if (options.signal.aborted) {
        throw new DeployError(
          'CANCELLED',
          'the deploy was cancelled while waiting for the release lock',
        );
      }
      const taken = await redis.set(lockKey, value, 'PX', this.ttlMs, 'NX');
      if (taken === 'OK') break;
      const current = await redis.get(lockKey);
      if (current === value) break; // ours already: this job resumed after a worker restart
      if (current !== null && !toldWaiting) {
        toldWaiting = true;
        options.onWaiting?.(JSON.parse(current) as LockHolder);
      }
      await sleep(this.pollMs, undefined, { signal: options.signal }).catch(() => undefined);
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
