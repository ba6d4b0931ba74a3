import type { RedisClient } from '../redis-connection.js';

/** The Redis keys Harbormaster keeps beside a BullMQ queue's own. */
export function queueKeys(queueName: string) {
  const key = (kind: string, id: string) => `harbormaster:${queueName}:${kind}:${id}`;
  return {
    /** A request id (Slack's trigger id), to absorb redeliveries. */
    request: (id: string) => key('request', id),
    /** The same deploy by the same person in the same channel, for a few seconds. */
    submit: (digest: string) => key('submit', digest),
    /** A person's deploy commands in the last minute (a sorted set of request ids by time). */
    person: (userId: string) => key('person', userId),
    /** The jobs queued for a release (a sorted set, pruned as they start). */
    queued: (release: string) => key('queued', release),
    /** Held while one request counts and adds to a release's queue. */
    gate: (release: string) => key('gate', release),
    /** A job the bot withdrew after its deadline: no worker runs it, even if it landed. */
    withdrawn: (jobId: string) => key('withdrawn', jobId),
  };
}

/** Whether the bot withdrew this job (it could not confirm it in time, and said so). */
export async function isWithdrawn(redis: RedisClient, queueName: string, jobId: string) {
  return (await redis.exists(queueKeys(queueName).withdrawn(jobId))) === 1;
}
