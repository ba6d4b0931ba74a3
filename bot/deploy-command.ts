import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { requestIdFromTrigger } from '../core/domain/idempotency.js';
import { deployCommandReply } from '../core/messages/command-replies.js';
import { cannotPostHereMessage } from '../core/messages/deploy-messages.js';
import type { CommandDependencies } from '../core/use-cases/command-dependencies.js';
import { announceDeploy } from '../core/use-cases/announce-deploy.js';
import { deployCommand } from '../core/use-cases/deploy-command.js';
import { ephemeral, originOf } from './slack-command.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/**
 * /deploy in Slack: the command's payload into the use case, its outcome into the answer. A
 * queued deploy is acknowledged at once, then announced in the channel.
 */
export function deployCommandHandler(deps: CommandDependencies) {
  return async ({ command, ack, respond }: CommandArgs): Promise<void> => {
    const outcome = await deployCommand(
      {
        text: command.text,
        origin: originOf(command),
        requestId: requestIdFromTrigger(command.trigger_id),
      },
      {
        ...deps,
        logger: deps.logger.child({
          command: '/deploy',
          userId: command.user_id,
          channelId: command.channel_id,
        }),
      },
    );
    if (outcome.kind !== 'queued') return ack(ephemeral(deployCommandReply(outcome)));
    await ack();
    const announced = await announceDeploy(outcome, deps);
    if (announced.kind === 'not-posted') {
      await respond(ephemeral(cannotPostHereMessage(outcome.request))).catch(() => undefined);
    }
  };
}
