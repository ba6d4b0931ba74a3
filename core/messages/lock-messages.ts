import type { DeployLock, ServiceTarget } from '../domain/deploy-lock.js';
import { formatDuration } from '../domain/duration.js';
import { BUTTON_ACTIONS, buttonValue } from '../domain/button-actions.js';
import type { ChatMessage, Inline } from '../ports/chat-message.js';
import { bold, code, context, emoji, message, section, text, user } from './inline.js';
import { formatWhen } from './when.js';

/** `hello-world` → *staging* */
export function lockTitle(target: ServiceTarget): Inline[] {
  return [code(target.service), text(' → '), bold(target.environment)];
}

function command(verb: string, target: ServiceTarget, tail = ''): Inline {
  return code(`/deploy ${verb} ${target.service} to ${target.environment}${tail}`);
}

/** "locked by @bob since 2026-12-04 21:30 UTC: “migrating the database”" */
export function heldBy(lock: DeployLock): Inline[] {
  return [
    text('locked by '),
    user(lock.by.id),
    text(` since ${formatWhen(lock.lockedAt)}: “${lock.reason}”`),
  ];
}

/** In the channel: the team sees the lock. */
export function lockedMessage(lock: DeployLock, replaced: boolean): ChatMessage {
  return message(
    [
      emoji('lock'),
      text(' '),
      user(lock.by.id),
      text(replaced ? ' still holds the lock on ' : ' locked '),
      ...lockTitle(lock),
      text(`: “${lock.reason}”`),
    ],
    [
      text('Deploys and rollbacks there are refused for everyone else until '),
      command('unlock', lock),
      text('.'),
    ],
  );
}

export function lockHeldMessage(lock: DeployLock): ChatMessage {
  return message(
    [emoji('lock'), text(' '), ...lockTitle(lock), text(' is already '), ...heldBy(lock)],
    [
      text('Ask them, or '),
      command('unlock', lock, ' --force'),
      text(' removes their lock (they will be told).'),
    ],
  );
}

/** A deploy or rollback refused because someone else holds the lock. */
export function deployLockedMessage(lock: DeployLock): ChatMessage {
  return message(
    [emoji('lock'), text(' '), ...lockTitle(lock), text(' is '), ...heldBy(lock)],
    [
      text('Nothing was queued. Ask '),
      user(lock.by.id),
      text(' to unlock it, or '),
      command('unlock', lock, ' --force'),
      text(' removes the lock (they will be told).'),
    ],
  );
}

/** In the channel: the lock is gone, and whose it was. */
export function unlockedMessage(
  lock: DeployLock,
  by: { id: string },
  forced: boolean,
): ChatMessage {
  if (!forced || lock.by.id === by.id) {
    return message([
      emoji('unlock'),
      text(' '),
      user(by.id),
      text(' unlocked '),
      ...lockTitle(lock),
      text('.'),
    ]);
  }
  return message(
    [
      emoji('unlock'),
      text(' '),
      user(by.id),
      text(' removed the lock of '),
      user(lock.by.id),
      text(' on '),
      ...lockTitle(lock),
      text('.'),
    ],
    [text(`It said: “${lock.reason}” (since ${formatWhen(lock.lockedAt)}).`)],
  );
}

export function notLockedMessage(target: ServiceTarget): ChatMessage {
  return message([...lockTitle(target), text(' is not locked.')]);
}

export function unlockRefusedMessage(lock: DeployLock): ChatMessage {
  return message(
    [emoji('lock'), text(' '), ...lockTitle(lock), text(' is '), ...heldBy(lock)],
    [
      text('Only they unlock it; '),
      command('unlock', lock, ' --force'),
      text(' removes it anyway, and tells them.'),
    ],
  );
}

export function locksMessage(locks: readonly DeployLock[]): ChatMessage {
  if (locks.length === 0) return message([text('Nothing is locked.')]);
  const lines = locks
    .slice(0, 40)
    .map((lock) =>
      section(emoji('lock'), text(' '), ...lockTitle(lock), text(' '), ...heldBy(lock)),
    );
  return {
    summary: [text(`${locks.length} lock${locks.length === 1 ? '' : 's'}`)],
    blocks: [section(bold('Locks')), ...lines],
  };
}

/** To the holder, in the channel it was locked in, once the lock is old: still needed? */
export function lockReminderMessage(lock: DeployLock, ageMs: number): ChatMessage {
  return {
    summary: [
      text(`Your lock on ${lock.service} → ${lock.environment} is ${formatDuration(ageMs)} old`),
    ],
    blocks: [
      section(
        emoji('lock'),
        text(' '),
        user(lock.by.id),
        text(`, you locked `),
        ...lockTitle(lock),
        text(` ${formatDuration(ageMs)} ago: “${lock.reason}”. Is it still needed?`),
      ),
      context(text('Unlock it here, or with '), command('unlock', lock), text('.')),
      {
        kind: 'actions',
        buttons: [
          {
            actionId: BUTTON_ACTIONS.unlock,
            value: buttonValue({
              action: 'unlock',
              service: lock.service,
              environment: lock.environment,
            }),
            label: 'Unlock',
            style: 'primary',
          },
        ],
      },
    ],
  };
}

/** To the holder of a lock someone else removed with --force. */
export function lockRemovedNotice(lock: DeployLock, by: { id: string }): ChatMessage {
  return message(
    [
      emoji('unlock'),
      text(' '),
      user(by.id),
      text(' removed your lock on '),
      ...lockTitle(lock),
      text('.'),
    ],
    [text(`You locked it at ${formatWhen(lock.lockedAt)}: “${lock.reason}”.`)],
  );
}
