import type { StageName } from '../domain/stages.js';

/** How a deploy, or one of its stages, ended. */
export type DeployResult = 'succeeded' | 'failed';

/**
 * What a deploy tells whoever counts (Prometheus in the processes, nothing in most tests). The
 * use cases emit to it; no metrics library crosses this line.
 */
export interface DeployMetrics {
  /** A deploy took its release and starts its stages, `waitedSeconds` after it was requested. */
  deployStarted(deploy: { service: string; environment: string; waitedSeconds: number }): void;
  /** A deploy ran to its end. */
  deployEnded(deploy: {
    service: string;
    environment: string;
    result: DeployResult;
    seconds: number;
  }): void;
  /** One stage of a deploy ended. */
  stageEnded(stage: { stage: StageName; result: DeployResult; seconds: number }): void;
  /** This process took (+1) or gave back (-1) a release lock. */
  locksHeldChanged(delta: 1 | -1): void;
  /** A deploy found its release held by another and stepped aside. */
  releaseBusy(deploy: { service: string; environment: string }): void;
}

/** Counts nothing: for callers that do not measure. */
export const noMetrics: DeployMetrics = {
  deployStarted: () => undefined,
  deployEnded: () => undefined,
  stageEnded: () => undefined,
  locksHeldChanged: () => undefined,
  releaseBusy: () => undefined,
};

/** A deploy queue's jobs by state. */
export interface QueueDepth {
  /** Waiting for a worker. */
  waiting: number;
  /** Held: for their announcement, or waiting for a busy release. */
  delayed: number;
  /** Being run by a worker. */
  active: number;
}

/** How one call to the chat workspace's API ended. */
export type ChatCallOutcome = 'ok' | 'error';

/** What a chat adapter tells whoever counts its API calls. */
export interface ChatCallMetrics {
  /** One API call ended (after the adapter's own retries). */
  called(call: { method: string; outcome: ChatCallOutcome }): void;
  /** The workspace answered 429: slow down. Each answer counts, retried or not. */
  rateLimited(call: { method: string }): void;
}
