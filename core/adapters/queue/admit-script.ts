import type { RedisClient } from '../redis-connection.js';
import { runScript } from '../redis-script.js';

/** One minute, the window of a person's deploy commands. */
export const PERSON_WINDOW_MS = 60_000;

/**
 * KEYS: 1 request-id claim, 2 double-submit claim, 3 the person's window, 4 the release's queued
 * index, then BullMQ's 5 completed, 6 failed, 7 delayed, 8 prioritized, 9 wait, 10 paused,
 * 11 waiting-children. ARGV: 1 request id, 2 request-id memory (s), 3 double-submit window (s),
 * 4 now (ms), 5 person window (ms), 6 person limit, 7 release limit, 8 a job's key without its id
 * (BullMQ's), 9 a pending mark's key without its id, 10 how long a pending mark lasts (ms).
 *
 * Every check comes before any write, so a refusal takes nothing (only what had lapsed is
 * pruned). A job not in Redis (yet) counts as queued while its pending mark lasts: the add is on
 * its way. Its state otherwise is read as BullMQ's getStateV2 reads it.
 */
const ADMIT = `
local rcall = redis.call
local id = ARGV[1]
local function ended(jobId)
  return rcall('ZSCORE', KEYS[5], jobId) or rcall('ZSCORE', KEYS[6], jobId)
end
local function queued(jobId)
  if rcall('EXISTS', ARGV[8] .. jobId) == 0 then return rcall('EXISTS', ARGV[9] .. jobId) == 1 end
  return rcall('ZSCORE', KEYS[7], jobId) or rcall('ZSCORE', KEYS[8], jobId)
    or rcall('LPOS', KEYS[9], jobId) or rcall('LPOS', KEYS[10], jobId)
    or rcall('ZSCORE', KEYS[11], jobId)
end
local holder = rcall('GET', KEYS[1])
if holder then return {'duplicate', holder} end
holder = rcall('GET', KEYS[2])
if holder and not ended(holder) then return {'duplicate', holder} end
local now = tonumber(ARGV[4])
local window = tonumber(ARGV[5])
rcall('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - window)
if rcall('ZCARD', KEYS[3]) >= tonumber(ARGV[6]) then
  local oldest = rcall('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
  return {'rate-limited', oldest[2]}
end
local limit = tonumber(ARGV[7])
-- The index holds every queued job of the release (and some that have moved on): below the
-- limit, there is room without reading each job.
if rcall('ZCARD', KEYS[4]) >= limit then
  local full = {'release-full'}
  for _, jobId in ipairs(rcall('ZRANGE', KEYS[4], 0, -1)) do
    if queued(jobId) then full[#full + 1] = jobId else rcall('ZREM', KEYS[4], jobId) end
  end
  if #full > limit then return full end
end
rcall('SET', KEYS[1], id, 'EX', ARGV[2])
rcall('SET', KEYS[2], id, 'EX', ARGV[3])
rcall('ZADD', KEYS[3], now, id)
rcall('PEXPIRE', KEYS[3], window)
rcall('ZADD', KEYS[4], now, id)
rcall('SET', ARGV[9] .. id, '1', 'PX', ARGV[10])
return {'queued'}
`;

/** Frees what ADMIT took for request ARGV[1] (claims only while still its own). KEYS as ADMIT's 1-4. */
const UNDO = `
local id = ARGV[1]
for i = 1, 2 do
  if redis.call('GET', KEYS[i]) == id then redis.call('DEL', KEYS[i]) end
end
redis.call('ZREM', KEYS[3], id)
redis.call('ZREM', KEYS[4], id)
redis.call('DEL', ARGV[2] .. id)
return 1
`;

export interface AdmitKeys {
  request: string;
  submit: string;
  person: string;
  queued: string;
  /** BullMQ's completed, failed, delayed, prioritized, wait, paused, waiting-children keys. */
  bullmq: readonly string[];
  /** A job's key is this and its id (BullMQ's). */
  jobKeyPrefix: string;
  /** A pending mark's key is this and the request id. */
  pendingPrefix: string;
}

export interface AdmitArgs {
  requestId: string;
  requestMemorySeconds: number;
  doubleSubmitSeconds: number;
  now: number;
  maxPerPersonPerMinute: number;
  maxQueuedPerRelease: number;
  pendingMs: number;
}

export type AdmitAnswer =
  | { status: 'admitted' }
  | { status: 'duplicate'; jobId: string }
  | { status: 'rate-limited'; retryAfterMs: number }
  /** The release's queued jobs, oldest first. */
  | { status: 'release-full'; queuedIds: string[] };

/**
 * In one atomic step: the request-id claim, the double-submit claim (taken over from a job that
 * has ended), the person's rate, and a place in the release's queue, held by a pending mark
 * until the job lands. A refusal takes none of them.
 */
export async function admit(
  redis: RedisClient,
  keys: AdmitKeys,
  args: AdmitArgs,
): Promise<AdmitAnswer> {
  const reply = (await runScript(
    redis,
    ADMIT,
    [keys.request, keys.submit, keys.person, keys.queued, ...keys.bullmq],
    [
      args.requestId,
      args.requestMemorySeconds,
      args.doubleSubmitSeconds,
      args.now,
      PERSON_WINDOW_MS,
      args.maxPerPersonPerMinute,
      args.maxQueuedPerRelease,
      keys.jobKeyPrefix,
      keys.pendingPrefix,
      args.pendingMs,
    ],
  )) as string[];
  const [status, ...rest] = reply;
  switch (status) {
    case 'duplicate':
      return { status, jobId: rest[0] ?? '' };
    case 'rate-limited': {
      const oldest = Number(rest[0]);
      return { status, retryAfterMs: Math.max(0, oldest + PERSON_WINDOW_MS - args.now) };
    }
    case 'release-full':
      return { status, queuedIds: rest };
    case 'queued':
      return { status: 'admitted' };
    default:
      throw new Error(`the admission script answered ${String(status)}`);
  }
}

/** Frees what `admit` took for this request: its claims (if still its own), its counts, its mark. */
export async function undoAdmission(
  redis: RedisClient,
  keys: AdmitKeys,
  requestId: string,
): Promise<void> {
  const claimKeys = [keys.request, keys.submit, keys.person, keys.queued];
  await runScript(redis, UNDO, claimKeys, [requestId, keys.pendingPrefix]);
}
