import type { DeployLock, ServiceTarget } from '../domain/deploy-lock.js';

export type { DeployLock, ServiceTarget } from '../domain/deploy-lock.js';

/** Locks taken with `/deploy lock`, kept until someone unlocks them (they survive restarts). */
export interface DeployLocks {
  get(target: ServiceTarget): Promise<DeployLock | undefined>;
  /** Takes the lock when it is free or already the same person's (`replaced`: their reason is). */
  take(lock: DeployLock): Promise<{ taken: true; replaced: boolean } | { heldBy: DeployLock }>;
  /**
   * Removes the lock if `holder` still holds it (any holder when undefined), atomically; answers
   * the lock removed, or undefined when it was not there (or someone else's).
   */
  remove(target: ServiceTarget, holder: string | undefined): Promise<DeployLock | undefined>;
  /** Every lock, oldest first. */
  list(): Promise<DeployLock[]>;
  /** True once per lock (as taken at `lockedAt`): its holder is reminded once, by one process. */
  claimReminder(lock: DeployLock): Promise<boolean>;
}
