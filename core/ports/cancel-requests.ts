import type { ChatUser } from '../domain/chat-address.js';

/**
 * Cancels asked for, seen by whichever worker runs the deploy: a worker's own abort reaches only
 * its own process, so the request is kept where every worker looks.
 */
export interface CancelRequests {
  request(jobId: string, by: ChatUser): Promise<void>;
  /** Who asked to cancel the job, if anyone did. */
  requestedBy(jobId: string): Promise<ChatUser | undefined>;
}
