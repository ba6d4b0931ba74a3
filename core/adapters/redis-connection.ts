import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { parseRedisUrl } from './redis-url.js';

/** One server, a Sentinel-managed master, or a Cluster: what the queue and the locks talk to. */
export type RedisClient = Redis | Cluster;

/**
 * One ioredis connection per queue or worker, to what REDIS_URL names (see redis-url.ts). A
 * worker blocks on Redis and must wait out an outage (no retry limit); the bot's connection gives
 * up on a command after one reconnect attempt, and callers put a deadline on it, so an outage is
 * reported rather than waited out.
 */
export function createRedisConnection(url: string, options: { blocking: boolean }): RedisClient {
  const retries: RedisOptions = { maxRetriesPerRequest: options.blocking ? null : 1 };
  const target = parseRedisUrl(url);
  if (target.mode === 'standalone') return new Redis(url, retries);
  const auth: RedisOptions = {
    ...(target.username === undefined ? {} : { username: target.username }),
    ...(target.password === undefined ? {} : { password: target.password }),
    ...(target.tls ? { tls: {} } : {}),
  };
  if (target.mode === 'cluster') {
    // BullMQ reads its connection's settings from redisOptions on a Cluster.
    return new Cluster(target.nodes, { redisOptions: { ...retries, ...auth } });
  }
  return new Redis({
    ...retries,
    ...auth,
    sentinels: target.sentinels,
    name: target.masterName,
    db: target.db,
    ...(target.sentinelUsername === undefined ? {} : { sentinelUsername: target.sentinelUsername }),
    ...(target.sentinelPassword === undefined ? {} : { sentinelPassword: target.sentinelPassword }),
    ...(target.tls ? { enableTLSForSentinelMode: true, sentinelTLS: {} } : {}),
  });
}
