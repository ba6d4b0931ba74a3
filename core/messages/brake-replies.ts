import type { BrakeOutcome, PressOutcome } from '../domain/brake-outcomes.js';
import type { ChatMessage } from '../ports/chat-message.js';
import { refusalMessage } from './command-replies.js';
import { deployTitle } from './deploy-messages.js';
import { auditMessage, historyMessage } from './history-message.js';
import { code, emoji, message, text, user } from './inline.js';
import {
  lockedMessage,
  lockHeldMessage,
  locksMessage,
  notLockedMessage,
  unlockedMessage,
  unlockRefusedMessage,
} from './lock-messages.js';
import { formatWhen } from './when.js';

/** The answer to a brake command or button press, in the chat surface's words. */
export function brakeReply(outcome: BrakeOutcome | PressOutcome): ChatMessage {
  switch (outcome.kind) {
    case 'refused':
      return refusalMessage(outcome.refusal, outcome.deployers);
    case 'brake-unavailable':
      return message([
        emoji('x'),
        text(
          ` I could not ${outcome.what}: Redis or Slack did not answer in time. Nothing was done; try again in a minute.`,
        ),
      ]);
    case 'locked':
      return lockedMessage(outcome.lock, outcome.replaced);
    case 'lock-held':
      return lockHeldMessage(outcome.lock);
    case 'unlocked':
      return unlockedMessage(outcome.lock, outcome.by, outcome.forced);
    case 'not-locked':
      return notLockedMessage(outcome.target);
    case 'unlock-refused':
      return unlockRefusedMessage(outcome.lock);
    case 'locks':
      return locksMessage(outcome.locks);
    case 'cancelling':
    case 'cancelled-queued':
    case 'already-ended':
    case 'unknown-deploy':
      return cancelReply(outcome);
    case 'history':
      return historyMessage(outcome.target, outcome.entries);
    case 'audit':
      return auditMessage(outcome.subject, outcome.entries);
    case 'already-pressed':
      return message([
        text('Already done: '),
        user(outcome.by.id),
        text(` pressed it at ${formatWhen(outcome.at)}. A button acts once.`),
      ]);
    case 'unknown-button':
      return message([text('That button is not one I know; nothing was done.')]);
  }
}

function cancelReply(
  outcome: Extract<
    BrakeOutcome,
    { kind: 'cancelling' | 'cancelled-queued' | 'already-ended' | 'unknown-deploy' }
  >,
): ChatMessage {
  switch (outcome.kind) {
    case 'cancelling':
      return message([
        emoji('no_entry_sign'),
        text(' Cancelling '),
        ...deployTitle(outcome.request),
        text(' (job '),
        code(outcome.jobId),
        text('): it stops within seconds, and its message says where.'),
      ]);
    case 'cancelled-queued':
      return message([
        emoji('no_entry_sign'),
        text(' Cancelled '),
        ...deployTitle(outcome.request),
        text(' before it started (job '),
        code(outcome.jobId),
        text(').'),
      ]);
    case 'already-ended':
      return message([
        ...deployTitle(outcome.request),
        text(' (job '),
        code(outcome.jobId),
        text(') has already ended: nothing to cancel.'),
      ]);
    case 'unknown-deploy':
      return message([
        text('There is no deploy '),
        code(outcome.deployId),
        text(' to cancel. The job id is on its message.'),
      ]);
  }
}

/** Answers the team sees in the channel; everything else is for the person who asked. */
export function isPublicReply(outcome: { kind: string }): boolean {
  return outcome.kind === 'locked' || outcome.kind === 'unlocked';
}
