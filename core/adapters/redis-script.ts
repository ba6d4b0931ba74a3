import { createHash } from 'node:crypto';
import type { RedisClient } from './redis-connection.js';

const digests = new Map<string, string>();

/**
 * Runs a Lua script by its digest (EVALSHA), sending its text only to a server that does not
 * have it yet. One command, where a MULTI is four and ioredis builds a pipeline object for it.
 */
export async function runScript(
  redis: RedisClient,
  script: string,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<unknown> {
  let sha = digests.get(script);
  if (sha === undefined) {
    sha = createHash('sha1').update(script).digest('hex');
    digests.set(script, sha);
  }
  try {
    return await redis.evalsha(sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return redis.eval(script, keys.length, ...keys, ...args);
  }
}
