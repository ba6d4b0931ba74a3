import type { DeployRequest } from '../domain/deploy-request.js';

/** What one request may take of the queue. */
export interface EnqueueLimits {
  /** The release this deploy takes, e.g. `staging/hello-world`: deploys that queue one behind another. */
  release: string;
  /** A further deploy of a release that has this many queued (not yet running) is refused. */
  maxQueuedPerRelease: number;
  /** A person's deploys within the last minute, beyond which one is refused. */
  maxPerPersonPerMinute: number;
}

export interface EnqueueOptions {
  limits: EnqueueLimits;
  /** The store must confirm within this; the answer comes by then whatever the store does. */
  deadlineMs: number;
}

export type EnqueueResult =
  | { status: 'queued'; jobId: string }
  /** The same command was delivered again (a Slack retry) or submitted twice: nothing new was queued. */
  | { status: 'duplicate'; jobId: string }
  /** This person asked for `limit` deploys within the last minute already; nothing was queued. */
  | { status: 'rate-limited'; limit: number; retryAfterMs: number }
  /** The release has its most deploys queued (these, oldest first); nothing was queued. */
  | { status: 'release-full'; limit: number; queued: DeployRequest[] }
  /**
   * The store did not confirm within the deadline. `mayBeQueued` false: the job was never sent,
   * and nothing will be queued. True: it was sent, so it may land; it is withdrawn (removed, and
   * marked so that no worker runs it) as soon as the store answers.
   */
  | { status: 'unconfirmed'; jobId: string; mayBeQueued: boolean };

/** Where the bot puts deploy requests for a worker to take. */
export interface DeployQueue {
  /**
   * Queues the request, signed, held until `announce` (or a short hold passes, so a bot that dies
   * in between loses nothing), within the limits. Queues nothing when the request id, or the same
   * deploy by the same person in the same channel moments ago, is already queued. Rejects only
   * when the store refused or could not be reached: then nothing was queued.
   */
  enqueue(request: DeployRequest, options: EnqueueOptions): Promise<EnqueueResult>;
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
