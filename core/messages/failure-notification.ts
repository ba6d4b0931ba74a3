import type { DeployProgress } from '../domain/deploy-progress.js';
import { STAGE_TITLES } from '../domain/stages.js';
import { truncate, type ChatMessage } from '../ports/chat-message.js';
import { deployTitle } from './deploy-messages.js';
import {
  bold,
  channel,
  context,
  emoji,
  group,
  joined,
  link,
  section,
  text,
  user,
} from './inline.js';

export interface FailureMentions {
  users: readonly string[];
  userGroups: readonly string[];
}

/** The message in the catalog's failure channel: who should look, what failed, where to see it. */
export function failureNotification(input: {
  progress: DeployProgress;
  mention: FailureMentions;
  /** Where the deploy's own message is. */
  channelId: string;
  /** A link to that message, when the chat could give one. */
  permalink?: string;
}): ChatMessage {
  const { progress } = input;
  const who = [...input.mention.users.map(user), ...input.mention.userGroups.map(group)];
  const failure = progress.failure;
  const first = [
    ...(who.length > 0
      ? [
          ...joined(
            who.map((mention) => [mention]),
            ' ',
          ),
          text(' '),
        ]
      : []),
    emoji('x'),
    text(' Deploy of '),
    ...deployTitle(progress.request),
    text(' failed'),
    ...(failure === undefined
      ? []
      : [
          text(' at '),
          bold(STAGE_TITLES[failure.stage]),
          text(`: ${truncate(failure.reason, 1500)}`),
          text(
            failure.rolledBackToRevision === undefined
              ? ''
              : ` Rolled back to revision ${failure.rolledBackToRevision}.`,
          ),
        ]),
  ];
  const view = [
    text('in '),
    channel(input.channelId),
    ...(input.permalink === undefined
      ? []
      : [text(' · '), link(input.permalink, 'view the deploy')]),
  ];
  const { service, ref, environment } = progress.request;
  return {
    summary: [
      text(
        `Deploy of ${service}@${ref} → ${environment} failed${failure === undefined ? '' : ` at ${STAGE_TITLES[failure.stage]}`}`,
      ),
    ],
    blocks: [
      section(...first),
      context(text('Requested by '), user(progress.request.requestedBy.id), text(' '), ...view),
    ],
  };
}
