import type { RedisClient } from './redis-connection.js';
import { targetKey, type ServiceTarget } from '../domain/deploy-lock.js';
import {
  deployRecordSchema,
  type DeployRecord,
  type DeployRecordUpdate,
} from '../domain/deploy-record.js';
import type { DeployHistory } from '../ports/deploy-history.js';
import { keyPrefix, parseStored } from './redis-keys.js';

export interface RedisDeployHistoryOptions {
  connection: RedisClient;
  /** The installation's name in Redis (its queue's name). */
  namespace: string;
  /** How many deploys are kept per service and environment (helm keeps 10 revisions). */
  keep: number;
}

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
    const redis = this.options.connection;
    const fields = Object.entries(update).flatMap(([name, value]) => [name, JSON.stringify(value)]);
    const order = this.orderKey(update);
    const multi = redis.multi().hset(this.recordKey(update.jobId), ...fields);
    if (update.requestedAt !== undefined) {
      multi.zadd(order, 'NX', Date.parse(update.requestedAt), update.jobId);
    }
    await multi.exec();
    await this.trim(order);
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

  /** Beyond `keep`, the oldest deploys are forgotten. */
  private async trim(order: string): Promise<void> {
    const redis = this.options.connection;
    const old = await redis.zrange(order, 0, String(-(this.options.keep + 1)));
    if (old.length === 0) return;
    await redis
      .multi()
      .zrem(order, ...old)
      .del(...old.map((id) => this.recordKey(id)))
      .exec();
  }

  private recordKey(jobId: string): string {
    return `${this.prefix}deploy:${jobId}`;
  }

  private orderKey(target: ServiceTarget): string {
    return `${this.prefix}history:${targetKey(target)}`;
  }
}
