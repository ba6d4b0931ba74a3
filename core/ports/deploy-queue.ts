import type { DeployRequest } from '../domain/deploy-request.js';

/** Where the bot puts deploy requests for a worker to take. */
export interface DeployQueue {
  /** Queues the request under its id; a second call with the same id queues nothing. */
  enqueue(request: DeployRequest): Promise<{ jobId: string }>;
  close(): Promise<void>;
}
