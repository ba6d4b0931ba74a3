import type { StatusQueryCheck } from '../domain/command-outcomes.js';
import type { ChatMessage } from '../ports/chat-message.js';
import { orList } from './deploy-messages.js';
import { code, emoji, message, text } from './inline.js';
import { unknownWordMessage } from './status-message.js';

/** `/status` for environments this person may not view. */
export function notAViewerMessage(environments: readonly string[]): ChatMessage {
  const [first] = environments;
  return message([
    emoji('no_entry'),
    text(' You may not view the pods of '),
    ...orList(environments),
    text('. Ask whoever runs Harbormaster to add you to '),
    code(`environments.${first ?? '<name>'}.viewers`),
    text('.'),
  ]);
}

/**
 * What `/status` says of an environment whose cluster could not be read. The reason (API server
 * URL, kubeconfig path, context, addresses) goes to the log only.
 */
export function clusterUnreadableText(environment: string, code: string): string {
  return `Kubernetes could not be read for ${environment} (${code}); whoever runs Harbormaster finds why in the bot's log.`;
}

/** `/status` when who may view what could not be looked up. */
export function statusAuthorisationUnavailableMessage(): ChatMessage {
  return message([
    emoji('x'),
    text(
      ' I could not check which environments you may view: Slack did not answer the user-group look-up. Try again in a minute.',
    ),
  ]);
}

/** The answer to a `/status` that its check refused, whichever chat surface asked. */
export function statusRefusalMessage(
  refused: Exclude<StatusQueryCheck<unknown>, { kind: 'accepted' }>,
): ChatMessage {
  switch (refused.kind) {
    case 'unknown-word':
      return unknownWordMessage(refused.word, refused.suggestions);
    case 'not-a-viewer':
      return notAViewerMessage(refused.environments);
    case 'authorisation-unavailable':
      return statusAuthorisationUnavailableMessage();
  }
}
