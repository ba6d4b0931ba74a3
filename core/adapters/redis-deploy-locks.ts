import type { RedisClient } from './redis-connection.js';
import {
  deployLockSchema,
  targetKey,
  type DeployLock,
  type ServiceTarget,
} from '../domain/deploy-lock.js';
import type { DeployLocks } from '../ports/deploy-locks.js';
import { keyPrefix, parseStored } from './redis-keys.js';

export interface RedisDeployLocksOptions {
  connection: RedisClient;
  /** The installation's name in Redis (its queue's name). */
  namespace: string;
}

/** Takes the lock if free (nil) or the same person's ('='); answers the holder otherwise. */
const TAKE_SCRIPT = `
local current = redis.call('get', KEYS[1])
if current then
  local ok, holder = pcall(cjson.decode, current)
  if not ok or type(holder) ~= 'table' or type(holder.by) ~= 'table' or holder.by.id ~= ARGV[2] then
    return current
  end
end
redis.call('set', KEYS[1], ARGV[1])
redis.call('sadd', KEYS[2], KEYS[1])
if current then return '=' end
return false`;

/** Removes the lock if held by ARGV[1] (anyone when empty); answers what was removed. */
const REMOVE_SCRIPT = `
local current = redis.call('get', KEYS[1])
if not current then
  redis.call('srem', KEYS[2], KEYS[1])
  return false
end
if ARGV[1] ~= '' then
  local ok, holder = pcall(cjson.decode, current)
  if not ok or type(holder) ~= 'table' or type(holder.by) ~= 'table' or holder.by.id ~= ARGV[1] then
    return false
  end
end
redis.call('del', KEYS[1])
redis.call('srem', KEYS[2], KEYS[1])
return current`;

const REMINDER_MEMORY_SECONDS = 90 * 24 * 3600;

function readLock(text: string | null): DeployLock | undefined {
  const parsed = deployLockSchema.safeParse(parseStored(text));
  return parsed.success ? parsed.data : undefined;
}

/** Locks as Redis keys without expiry (they last until unlocked), listed through a set. */
export class RedisDeployLocks implements DeployLocks {
  private readonly prefix: string;

  constructor(private readonly options: RedisDeployLocksOptions) {
    this.prefix = keyPrefix(options.namespace);
  }

  async get(target: ServiceTarget): Promise<DeployLock | undefined> {
    return readLock(await this.options.connection.get(this.key(target)));
  }

  async take(
    lock: DeployLock,
  ): Promise<{ taken: true; replaced: boolean } | { heldBy: DeployLock }> {
    const value = JSON.stringify(deployLockSchema.parse(lock));
    const held = (await this.options.connection.eval(
      TAKE_SCRIPT,
      2,
      this.key(lock),
      this.index(),
      value,
      lock.by.id,
    )) as string | null;
    if (held === null || held === '=') return { taken: true, replaced: held === '=' };
    // A lock this version cannot read still refuses: it is kept, said to be someone else's.
    const holder = readLock(held) ?? { ...lock, by: { id: 'U0UNKNOWN', name: 'someone' } };
    return { heldBy: holder };
  }

  async remove(target: ServiceTarget, holder: string | undefined): Promise<DeployLock | undefined> {
    const removed = (await this.options.connection.eval(
      REMOVE_SCRIPT,
      2,
      this.key(target),
      this.index(),
      holder ?? '',
    )) as string | null;
    return readLock(removed);
  }

  async list(): Promise<DeployLock[]> {
    const redis = this.options.connection;
    const keys = await redis.smembers(this.index());
    if (keys.length === 0) return [];
    const values = await redis.mget(...keys);
    return values
      .map(readLock)
      .filter((lock): lock is DeployLock => lock !== undefined)
      .sort((a, b) => a.lockedAt.localeCompare(b.lockedAt));
  }

  async claimReminder(lock: DeployLock): Promise<boolean> {
    const key = `${this.prefix}lock-reminded:${targetKey(lock)}:${lock.lockedAt}`;
    const won = await this.options.connection.set(key, '1', 'EX', REMINDER_MEMORY_SECONDS, 'NX');
    return won === 'OK';
  }

  private key(target: ServiceTarget): string {
    return `${this.prefix}lock:${targetKey(target)}`;
  }

  private index(): string {
    return `${this.prefix}locks`;
  }
}
