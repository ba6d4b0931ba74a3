import type { RedisClient } from './redis-connection.js';
import { targetKey, type ServiceTarget } from '../domain/deploy-lock.js';
import {
  deployRecordSchema,
  type DeployRecord,
  type DeployRecordUpdate,
} from '../domain/deploy-record.js';
import type { DeployHistory } from '../ports/deploy-history.js';
import { keyPrefix, parseStored } from './redis-keys.js';
import { runScript } from './redis-script.js';

export interface RedisDeployHistoryOptions {
  connection: RedisClient;
  /** The installation's name in Redis (its queue's name). */
  namespace: string;
  /** How many deploys are kept per service and environment (helm keeps 10 revisions). */
  keep: number;
}

/**
 * KEYS: 1 the deploy's hash, 2 its service and environment's order. ARGV: 1 the time it was asked
 * for (ms; '' when this update does not say), 2 its job id, 3 how many to keep, 4 a deploy hash's
 * key less the job id, then field and value pairs. Beyond `keep`, the oldest deploys are forgotten.
 */
const RECORD = `
local fields = {}
for i = 5, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(fields))
if ARGV[1] ~= '' then redis.call('ZADD', KEYS[2], 'NX', ARGV[1], ARGV[2]) end
for _, id in ipairs(redis.call('ZRANGE', KEYS[2], 0, -(tonumber(ARGV[3]) + 1))) do
  redis.call('ZREM', KEYS[2], id)
  redis.call('DEL', ARGV[4] .. id)
end
return 1
`;

/**
 * Each deploy a Redis hash of JSON fields (so the bot and the worker each write what they know),
 * ordered per service and environment by a sorted set on the time it was asked for.
 */
export class RedisDeployHistory implements DeployHistory {
  private readonly prefix: string;

  constructor(private readonly options: RedisDeployHistoryOptions) {
    this.prefix = keyPrefix(options.namespace);
  }

  async record(update: DeployRecordUpdate): Promise<void> {
    const fields = Object.entries(update).flatMap(([name, value]) => [name, JSON.stringify(value)]);
    const at = update.requestedAt === undefined ? '' : Date.parse(update.requestedAt);
    await runScript(
      this.options.connection,
      RECORD,
      [this.recordKey(update.jobId), this.orderKey(update)],
      [at, update.jobId, this.options.keep, this.recordKey(''), ...fields],
    );
  }

  async list(target: ServiceTarget, limit: number): Promise<DeployRecord[]> {
    const redis = this.options.connection;
    const ids = await redis.zrevrange(this.orderKey(target), 0, limit - 1);
    if (ids.length === 0) return [];
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.recordKey(id));
    const rows = (await pipeline.exec()) ?? [];
    return rows.flatMap(([error, row]) => {
      if (error !== null || typeof row !== 'object' || row === null) return [];
      const fields = Object.entries(row as Record<string, string>).map(([name, value]) => [
        name,
        parseStored(value),
      ]);
      const parsed = deployRecordSchema.safeParse(Object.fromEntries(fields));
      return parsed.success ? [parsed.data] : [];
    });
  }

  private recordKey(jobId: string): string {
    return `${this.prefix}deploy:${jobId}`;
  }

  private orderKey(target: ServiceTarget): string {
    return `${this.prefix}history:${targetKey(target)}`;
  }
}
