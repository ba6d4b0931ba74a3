import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { deployCommandReply } from '../core/messages/command-replies.js';
import { cannotPostHereMessage } from '../core/messages/deploy-messages.js';
import type { CommandDependencies } from '../core/use-cases/command-dependencies.js';
import { announceDeploy } from '../core/use-cases/announce-deploy.js';
import { deployCommand } from '../core/use-cases/deploy-command.js';
import { outsiderAnswer, type SlackAccess } from './slack-access.js';
import { answerDeadline, ephemeral, malformedAnswer, readSlashCommand } from './slack-command.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/**
 * /deploy in Slack: the command's payload into the use case, its outcome into the answer. A
 * queued deploy is acknowledged at once, then announced in the channel.
 */
export function deployCommandHandler(deps: CommandDependencies, access: SlackAccess) {
  return async ({ command, ack, respond }: CommandArgs): Promise<void> => {
    const answerBy = answerDeadline();
    const logger = deps.logger.child({
      command: '/deploy',
      userId: command.user_id,
      channelId: command.channel_id,
    });
    const read = readSlashCommand(command);
    if (!read.ok) return ack(malformedAnswer(read.malformed, logger));
    const outsider = await outsiderAnswer(read.origin, { ...access, logger }, answerBy);
    if (outsider !== undefined) return ack(outsider);
    const outcome = await deployCommand(
      { text: read.text, origin: read.origin, requestId: read.requestId },
      { ...deps, logger, answerBy },
    );
    if (outcome.kind !== 'queued') return ack(ephemeral(deployCommandReply(outcome)));
    await ack();
    const announced = await announceDeploy(outcome, deps);
    if (announced.kind === 'not-posted') {
      await respond(ephemeral(cannotPostHereMessage(outcome.request))).catch(() => undefined);
    }
  };
}
