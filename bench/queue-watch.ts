import { Queue } from 'bullmq';
import { createRedisConnection } from '../core/adapters/redis-connection.js';
import { eventually } from '../test/support/eventually.js';
import { testEnv } from '../test/support/test-env.js';

/** The bench's own handle on a deploy queue: to pause it, resume it and see it drained. */
export interface WatchedQueue {
  queue: Queue;
  /** Until no job waits, runs or is delayed (a paused queue's jobs are among those waiting). */
  drained(limitMs?: number): Promise<void>;
  close(): Promise<void>;
}

export function watchQueue(name: string): WatchedQueue {
  const connection = createRedisConnection(testEnv().redisUrl, { blocking: false });
  const queue = new Queue(name, { connection });
  return {
    queue,
    drained: (limitMs = 600_000) =>
      eventually(
        'every deploy ends',
        async () => {
          const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized');
          return Object.values(counts).every((n) => n === 0);
        },
        limitMs,
      ),
    async close() {
      await queue.close();
      connection.disconnect();
    },
  };
}
