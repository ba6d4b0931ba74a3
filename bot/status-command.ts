import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { statusMessage } from '../core/messages/status-message.js';
import { statusRefusalMessage } from '../core/messages/status-refusals.js';
import type { CommandDependencies } from '../core/use-cases/command-dependencies.js';
import { checkStatusQuery, queryStatus } from '../core/use-cases/query-status.js';
import { outsiderAnswer, type SlackAccess } from './slack-access.js';
import { answerDeadline, ephemeral, malformedAnswer, readSlashCommand } from './slack-command.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/**
 * /status in Slack: checked (the words, and what the asker may view), acknowledged at once
 * (Kubernetes may be slow), then answered through response_url with what the use case found.
 */
export function statusCommandHandler(deps: CommandDependencies, access: SlackAccess) {
  return async ({ command, ack, respond }: CommandArgs): Promise<void> => {
    const answerBy = answerDeadline();
    const read = readSlashCommand(command);
    if (!read.ok) return ack(malformedAnswer(read.malformed, deps.logger));
    const outsider = await outsiderAnswer(read.origin, access, answerBy);
    if (outsider !== undefined) return ack(outsider);
    const checked = await checkStatusQuery(read.text, read.origin.user, { ...deps, answerBy });
    if (checked.kind !== 'accepted') return ack(ephemeral(statusRefusalMessage(checked)));
    await ack();
    await respond(ephemeral(statusMessage(await queryStatus(checked.query, deps))));
  };
}
