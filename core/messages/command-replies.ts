import type { PressOutcome } from '../domain/brake-outcomes.js';
import type { Deployers } from '../domain/catalog.js';
import type { DeployCommandOutcome } from '../domain/command-outcomes.js';
import type { DeployRequest } from '../domain/deploy-request.js';
import type { Refusal } from '../domain/deploy-target.js';
import type { ChatMessage, Inline } from '../ports/chat-message.js';
import {
  deployTitle,
  helpMessage,
  listMessage,
  NOTHING_QUEUED,
  orList,
  unreadableMessage,
} from './deploy-messages.js';
import {
  malformedMessage,
  maybeQueuedMessage,
  rateLimitedMessage,
  releaseFullMessage,
} from './guard-replies.js';
import { brakeReply } from './brake-replies.js';
import { bold, code, emoji, group, joined, message, text, user } from './inline.js';
import { deployLockedMessage } from './lock-messages.js';
import { invalidRefMessage, refNotTakenMessage } from './ref-replies.js';

function noSuchName(what: 'service' | 'environment', name: string, hint: Inline[]): ChatMessage {
  return message(
    [text(`There is no ${what} called `), code(name), text('. '), ...hint],
    NOTHING_QUEUED,
  );
}

function didYouMean(suggestions: readonly string[], then: Inline[] = []): Inline[] {
  return [text('Did you mean '), ...orList(suggestions), text('?'), ...then];
}

function notAuthorisedMessage(
  environment: string,
  deployers?: Pick<Deployers, 'users' | 'userGroups'>,
): ChatMessage {
  const who = [...(deployers?.users ?? []).map(user), ...(deployers?.userGroups ?? []).map(group)];
  const ask =
    who.length > 0
      ? [
          text(' Ask '),
          ...joined(
            who.map((mention) => [mention]),
            ', ',
          ),
          text(' to deploy it,'),
        ]
      : [text(' Ask a deployer,')];
  return message(
    [
      text('You are not allowed to deploy to '),
      bold(environment),
      text('.'),
      ...ask,
      text(' or ask whoever runs Harbormaster to add you to '),
      code(`environments.${environment}.deployers`),
      text('.'),
    ],
    NOTHING_QUEUED,
  );
}

export function refusalMessage(
  refusal: Refusal,
  deployers?: Pick<Deployers, 'users' | 'userGroups'>,
): ChatMessage {
  switch (refusal.code) {
    case 'UNKNOWN_SERVICE': {
      const [first] = refusal.suggestions;
      return noSuchName(
        'service',
        refusal.service,
        first === undefined
          ? [
              text('The services are '),
              ...orList(refusal.known),
              text('; '),
              code('/deploy list'),
              text(' shows them.'),
            ]
          : didYouMean(refusal.suggestions, [text(' Try '), code(`/deploy ${first}`), text('.')]),
      );
    }
    case 'UNKNOWN_ENVIRONMENT':
      return noSuchName(
        'environment',
        refusal.environment,
        refusal.suggestions.length > 0
          ? didYouMean(refusal.suggestions)
          : [text('The environments are '), ...orList(refusal.known), text('.')],
      );
    case 'INVALID_REF':
      return invalidRefMessage(refusal);
    case 'REF_NOT_TAKEN':
      return refNotTakenMessage(refusal);
    case 'INVALID_NAME':
      return invalidNameMessage(refusal);
    case 'NOT_AUTHORISED':
      return notAuthorisedMessage(refusal.environment, deployers);
  }
}

function invalidNameMessage(refusal: Extract<Refusal, { code: 'INVALID_NAME' }>): ChatMessage {
  return message(
    [
      code(refusal.name),
      text(
        ` is not ${refusal.what === 'environment' ? 'an' : 'a'} ${refusal.what} name: names are lower-case letters, digits and dashes (at most 53).`,
      ),
      ...(refusal.suggestions.length > 0 ? [text(' '), ...didYouMean(refusal.suggestions)] : []),
    ],
    NOTHING_QUEUED,
  );
}

export function duplicateMessage(request: DeployRequest, jobId: string): ChatMessage {
  return message(
    [
      ...deployTitle(request),
      text(' is already queued (job '),
      code(jobId),
      text('); its progress is in this channel.'),
    ],
    [text('Nothing new was queued.')],
  );
}

export function queueUnavailableMessage(): ChatMessage {
  return message([
    emoji('x'),
    text(
      ' I could not queue the deploy: the deploy queue (Redis) is not answering. Nothing was queued. Try again in a minute; if it keeps failing, tell whoever runs Harbormaster.',
    ),
  ]);
}

export function authorisationUnavailableMessage(environment: string): ChatMessage {
  return message([
    emoji('x'),
    text(' I could not check whether you may deploy to '),
    bold(environment),
    text(
      ': Slack did not answer the user-group look-up. Nothing was queued; try again in a minute.',
    ),
  ]);
}

/**
 * The private answer to anything typed after `/deploy` (or a button pressed), except a deploy
 * that was queued.
 */
export function deployCommandReply(
  outcome: Exclude<DeployCommandOutcome | PressOutcome, { kind: 'queued' }>,
): ChatMessage {
  switch (outcome.kind) {
    case 'help':
      return helpMessage();
    case 'unreadable':
      return unreadableMessage(outcome.text, outcome.usage);
    case 'listed':
      return listMessage(outcome);
    case 'authorisation-unavailable':
      return authorisationUnavailableMessage(outcome.environment);
    case 'refused':
      return refusalMessage(outcome.refusal, outcome.deployers);
    case 'queue-unavailable':
      return queueUnavailableMessage();
    case 'maybe-queued':
      return maybeQueuedMessage(outcome.request, outcome.jobId);
    case 'malformed':
      return malformedMessage(outcome.field, outcome.expected);
    case 'rate-limited':
      return rateLimitedMessage(outcome.limit, outcome.retryAfterSeconds);
    case 'release-full':
      return releaseFullMessage(outcome.request, outcome.limit, outcome.queued);
    case 'duplicate':
      return duplicateMessage(outcome.request, outcome.jobId);
    case 'locked':
      return deployLockedMessage(outcome.lock);
    default:
      return brakeReply(outcome);
  }
}
