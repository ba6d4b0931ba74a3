import type { RedisClient } from '../redis-connection.js';

/** One minute, the window of a person's deploy commands. */
export const PERSON_WINDOW_MS = 60_000;

// A sliding window: entries older than the window go, then the request is counted if there is room.
const SCRIPT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, tonumber(oldest[2])}
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {1, 0}
`;

export type RateAnswer = { admitted: true } | { admitted: false; retryAfterMs: number };

/** Counts a request against a person's limit, atomically; refuses it when the limit is reached. */
export async function admitPerson(
  redis: RedisClient,
  key: string,
  requestId: string,
  limit: number,
  now = Date.now(),
): Promise<RateAnswer> {
  const [admitted, oldest] = (await redis.eval(
    SCRIPT,
    1,
    key,
    now,
    PERSON_WINDOW_MS,
    limit,
    requestId,
  )) as [number, number];
  if (admitted === 1) return { admitted: true };
  return { admitted: false, retryAfterMs: Math.max(0, oldest + PERSON_WINDOW_MS - now) };
}
