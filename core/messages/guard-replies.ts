import type { DeployRequest } from '../domain/deploy-request.js';
import type { ChatMessage } from '../ports/chat-message.js';
import { deployTitle, NOTHING_QUEUED } from './deploy-messages.js';
import { code, emoji, joined, message, text, user } from './inline.js';

/** Refusals that protect the queue and the workspace: limits, malformed requests, outsiders. */

export function malformedMessage(field: string, expected: string): ChatMessage {
  return message(
    [
      emoji('x'),
      text(' I could not read this request: its field '),
      code(field),
      text(
        ` is not ${expected}. Try the command again; if it keeps failing, tell whoever runs Harbormaster.`,
      ),
    ],
    NOTHING_QUEUED,
  );
}

export function rateLimitedMessage(limit: number, retryAfterSeconds: number): ChatMessage {
  return message(
    [
      emoji('hand'),
      text(
        ` You asked for ${limit} deploys within the last minute, as many as one person may. Try again in ${retryAfterSeconds} s.`,
      ),
    ],
    NOTHING_QUEUED,
  );
}

function queuedLine(request: DeployRequest): ChatMessage['summary'] {
  return [
    text('• '),
    ...deployTitle(request),
    text(' by '),
    user(request.origin.user.id),
    text(' (job '),
    code(request.id),
    text(')'),
  ];
}

export function releaseFullMessage(
  request: DeployRequest,
  limit: number,
  queued: readonly DeployRequest[],
): ChatMessage {
  const lines = queued.slice(0, limit).map(queuedLine);
  return message(
    [
      emoji('hand'),
      text(` ${limit} deploys of `),
      code(request.service),
      text(' to '),
      code(request.environment),
      text(' are queued already, as many as may wait at once. Queued now:\n'),
      ...joined(lines, '\n'),
      text('\nTry again when one of them has started.'),
    ],
    NOTHING_QUEUED,
  );
}

export function maybeQueuedMessage(request: DeployRequest, jobId: string): ChatMessage {
  return message([
    emoji('warning'),
    text(' The deploy queue (Redis) did not confirm '),
    ...deployTitle(request),
    text(' in time, so it may still be queued, as job '),
    code(jobId, 120),
    text(
      '. I withdraw it as soon as Redis answers, so that it does not run. Try again in a minute; if it keeps failing, tell whoever runs Harbormaster.',
    ),
  ]);
}

/** Someone a chat surface does not serve: a guest, or a person of another workspace. */
export function outsiderMessage(who: 'guest' | 'other-workspace'): ChatMessage {
  const reason =
    who === 'guest'
      ? 'Guests of this workspace may not use Harbormaster here.'
      : 'People from another workspace may not use Harbormaster here.';
  return message(
    [emoji('no_entry'), text(` ${reason} Ask whoever runs Harbormaster if you need to.`)],
    NOTHING_QUEUED,
  );
}

export function membershipUnavailableMessage(): ChatMessage {
  return message([
    emoji('x'),
    text(
      ' I could not check who you are: Slack did not answer in time. Nothing was queued; try again in a minute.',
    ),
  ]);
}
