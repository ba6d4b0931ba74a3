import type { RedisClient } from '../redis-connection.js';

/**
 * The hash tag of BullMQ's key prefix (`{harbormaster}` in `{harbormaster}` or `bull:{x}`), as
 * Redis Cluster reads one: the first `{...}` with something inside. undefined: none.
 */
export function hashTagOf(prefix: string | undefined): string | undefined {
  if (prefix === undefined) return undefined;
  const open = prefix.indexOf('{');
  const close = open < 0 ? -1 : prefix.indexOf('}', open + 1);
  return close > open + 1 ? prefix.slice(open, close + 1) : undefined;
}

/**
 * The Redis keys Harbormaster keeps beside a BullMQ queue's own. Those the admission script
 * touches carry the prefix's hash tag, so that on a Redis Cluster they share the slot of
 * BullMQ's keys, which the script reads too.
 */
export function queueKeys(queueName: string, prefix?: string) {
  const tag = hashTagOf(prefix);
  const base = tag === undefined ? `harbormaster:${queueName}` : `harbormaster:${tag}:${queueName}`;
  const key = (kind: string, id: string) => `${base}:${kind}:${id}`;
  return {
    /** A request id (Slack's trigger id), to absorb redeliveries. */
    request: (id: string) => key('request', id),
    /** The same deploy by the same person in the same channel, for a few seconds. */
    submit: (digest: string) => key('submit', digest),
    /** A person's deploy commands in the last minute (a sorted set of request ids by time). */
    person: (userId: string) => key('person', userId),
    /** The jobs queued for a release (a sorted set, pruned as they start). */
    queued: (release: string) => key('queued', release),
    /** A pending mark's key, less the request id: its place is held while its job is added. */
    pendingPrefix: key('pending', ''),
    /**
     * A job the bot withdrew after its deadline: no worker runs it, even if it landed. Read on
     * its own (never in a script), by a worker that knows only the queue's name.
     */
    withdrawn: (jobId: string) => `harbormaster:${queueName}:withdrawn:${jobId}`,
  };
}

/** Whether the bot withdrew this job (it could not confirm it in time, and said so). */
export async function isWithdrawn(redis: RedisClient, queueName: string, jobId: string) {
  return (await redis.exists(queueKeys(queueName).withdrawn(jobId))) === 1;
}
