import type { ChatUser } from '../domain/chat-address.js';
import type { DeployLock } from '../domain/deploy-lock.js';
import { lockReminderMessage, lockRemovedNotice } from '../messages/lock-messages.js';
import type { Logger } from '../logger.js';
import type { Chat } from '../ports/chat.js';
import type { CommandDependencies } from './command-dependencies.js';

type Dependencies = Pick<CommandDependencies, 'chat' | 'logger'>;

/** Tells a lock's holder, directly, that someone removed their lock. */
export async function notifyLockHolder(
  lock: DeployLock,
  by: ChatUser,
  deps: Dependencies,
): Promise<void> {
  try {
    await deps.chat.post(lock.by.id, lockRemovedNotice(lock, by));
  } catch (error) {
    deps.logger.warn(
      { err: error, holder: lock.by.id },
      'could not tell the holder their lock was removed',
    );
  }
}

export interface LockReminderDependencies {
  locks: CommandDependencies['locks'];
  /** The chat of the surface the lock was taken on. */
  chatFor: (lock: DeployLock) => Chat;
  logger: Logger;
  /** A lock older than this reminds its holder, once. */
  reminderAfterMs: number;
  now?: () => Date;
}

/**
 * Reminds the holder of each lock older than the reminder age, once, with an Unlock button, in
 * the channel it was locked in (where its surface shows it: Slack or the console).
 * Safe to run in every bot process at once: each reminder is claimed before it is sent.
 */
export async function remindOldLocks(deps: LockReminderDependencies): Promise<number> {
  const now = (deps.now ?? (() => new Date()))().getTime();
  let sent = 0;
  for (const lock of await deps.locks.list()) {
    const age = now - Date.parse(lock.lockedAt);
    if (age < deps.reminderAfterMs || !(await deps.locks.claimReminder(lock))) continue;
    try {
      await deps.chatFor(lock).post(lock.channel, lockReminderMessage(lock, age));
      sent += 1;
    } catch (error) {
      deps.logger.warn({ err: error, holder: lock.by.id }, 'could not remind the holder of a lock');
    }
  }
  return sent;
}
