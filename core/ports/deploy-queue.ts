import type { DeployRequest } from '../domain/deploy-request.js';

export type EnqueueResult =
  | { status: 'queued'; jobId: string }
  /** The same command was delivered again (a Slack retry) or submitted twice: nothing new was queued. */
  | { status: 'duplicate'; jobId: string };

/** Where the bot puts deploy requests for a worker to take. */
export interface DeployQueue {
  /**
   * Queues the request, held until `announce` (or a short hold passes, so a bot that dies in
   * between loses nothing). Queues nothing when the request id was queued before, or when the
   * same deploy by the same person in the same channel, asked for moments ago, has not ended yet.
   */
  enqueue(request: DeployRequest): Promise<EnqueueResult>;
  /**
   * Keeps the job held for as long as `work` (posting its message) takes, however long a busy
   * chat makes that: its hold is renewed while this process lives, so a bot that dies lets it
   * lapse as before, and a worker never starts a deploy whose message is still being posted.
   */
  holdWhile<T>(jobId: string, work: () => Promise<T>): Promise<T>;
  /** Attaches the chat message the worker updates (its id), and lets the job run. */
  announce(jobId: string, messageId: string | undefined): Promise<void>;
  /** Answers when the queue's store is reachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
