import type { DeployLock } from '../core/domain/deploy-lock.js';
import type { Logger } from '../core/logger.js';
import type { Chat } from '../core/ports/chat.js';
import type { Clock } from '../core/ports/clock.js';
import type { DeployLocks } from '../core/ports/deploy-locks.js';
import { remindOldLocks } from '../core/use-cases/lock-notices.js';

export interface LockRemindersOptions {
  locks: DeployLocks;
  chatFor: (lock: DeployLock) => Chat;
  /** A lock older than this reminds its holder, once. */
  reminderAfterMs: number;
  /** How often the locks are looked at. */
  everyMs: number;
  clock: Clock;
  logger: Logger;
}

/** How often a worker looks for old locks: often enough for the reminder to be on time. */
export function reminderCheckEvery(reminderAfterMs: number): number {
  return Math.max(1000, Math.min(60_000, Math.floor(reminderAfterMs / 4)));
}

/**
 * Reminds the holders of old locks, from every worker: each reminder is claimed in Redis before
 * it is sent, so it goes once however many workers look. Answers the function that stops it.
 */
export function startLockReminders(options: LockRemindersOptions): () => void {
  const { clock, logger } = options;
  let cancel: (() => void) | undefined;
  let stopped = false;
  const tick = async () => {
    try {
      await remindOldLocks({
        locks: options.locks,
        chatFor: options.chatFor,
        logger,
        reminderAfterMs: options.reminderAfterMs,
        now: () => new Date(clock.now()),
      });
    } catch (error) {
      logger.warn({ err: error }, 'could not look for old locks');
    }
    if (!stopped) cancel = clock.setTimer(() => void tick(), options.everyMs);
  };
  cancel = clock.setTimer(() => void tick(), options.everyMs);
  return () => {
    stopped = true;
    cancel?.();
  };
}
