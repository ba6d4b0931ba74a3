import { Redis } from 'ioredis';

/**
 * One ioredis connection per queue or worker. BullMQ workers block on Redis, so requests must
 * wait for a reconnect rather than fail after a few retries.
 */
export function createRedisConnection(url: string, options: { blocking: boolean }): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: options.blocking ? null : 1,
    enableOfflineQueue: options.blocking,
    lazyConnect: false,
  });
}
