import { Redis } from 'ioredis';

/**
 * One ioredis connection per queue or worker. A worker blocks on Redis and must wait out an
 * outage (no retry limit); the bot's connection gives up on a command after one reconnect
 * attempt, and callers put a deadline on it, so an outage is reported rather than waited out.
 */
export function createRedisConnection(url: string, options: { blocking: boolean }): Redis {
  return new Redis(url, { maxRetriesPerRequest: options.blocking ? null : 1 });
}
