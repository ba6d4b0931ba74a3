import type { DeployRequest } from '../domain/deploy-request.js';

/**
 * Where a deploy job is: `queued` (held, waiting, or delayed behind its release: no worker runs
 * it), `running` (a worker has it), `finished` (completed or failed).
 */
export type DeployJobState = 'queued' | 'running' | 'finished';

export interface DeployJob {
  request: DeployRequest;
  state: DeployJobState;
}

/** The deploy queue's jobs as cancel and stuck-release recovery look at them. */
export interface DeployJobs {
  /** A job by id; undefined when the queue does not know it (never queued, or long gone). */
  find(jobId: string): Promise<DeployJob | undefined>;
  /** Removes a job no worker has started; false when a worker has it or it is gone. */
  removeQueued(jobId: string): Promise<boolean>;
  /** Forgets the job's double-submit claim: once it is cancelled, the same deploy may be asked again. */
  forgetSubmission(jobId: string): Promise<void>;
}
