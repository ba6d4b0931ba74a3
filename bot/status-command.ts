import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { statusMessage, unknownWordMessage } from '../core/messages/status-message.js';
import type { CommandDependencies } from '../core/use-cases/command-dependencies.js';
import { checkStatusQuery, queryStatus } from '../core/use-cases/query-status.js';
import { ephemeral } from './slack-command.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/**
 * /status in Slack: acknowledged at once (Kubernetes may be slow), then answered through
 * response_url with what the use case found.
 */
export function statusCommandHandler(deps: CommandDependencies) {
  return async ({ command, ack, respond }: CommandArgs): Promise<void> => {
    const checked = checkStatusQuery(command.text, deps);
    if (checked.kind === 'unknown-word') {
      await ack(ephemeral(unknownWordMessage(checked.word, checked.suggestions)));
      return;
    }
    await ack();
    await respond(ephemeral(statusMessage(await queryStatus(checked.query, deps))));
  };
}
