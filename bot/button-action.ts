import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { requestIdFromTrigger } from '../core/domain/idempotency.js';
import type { CommandDependencies } from '../core/use-cases/command-dependencies.js';
import { answerButtonPress } from './button-press.js';
import { outsiderAnswer, type SlackAccess } from './slack-access.js';
import { ephemeral } from './slack-command.js';

type ActionArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** Every button Harbormaster puts on a message starts with this action id. */
export const BUTTON_ACTION_PATTERN = /^harbormaster-/;

/**
 * A button pressed in Slack (Cancel, Rollback, Unlock): Bolt has verified the payload as it does
 * a command's; the press goes to the use case, and its answer only to the presser.
 */
export function buttonActionHandler(deps: CommandDependencies, access: SlackAccess) {
  return async ({ body, action, ack, respond }: ActionArgs): Promise<void> => {
    await ack();
    const container = body.container as { channel_id?: string };
    const channel = body.channel?.id ?? container.channel_id ?? '';
    const origin = {
      ...(body.team?.id ? { workspace: body.team.id } : {}),
      channel,
      user: { id: body.user.id, name: body.user.username },
      ...(body.message?.ts ? { message: body.message.ts } : {}),
    };
    // Guests and people of other workspaces press no brakes either.
    const outsider = await outsiderAnswer(origin, access);
    if (outsider !== undefined) {
      await respond({ ...outsider, replace_original: false }).catch(() => undefined);
      return;
    }
    const replies = await answerButtonPress(
      {
        actionId: action.action_id,
        value: action.value ?? '',
        origin,
        requestId: requestIdFromTrigger(body.trigger_id),
      },
      deps,
    );
    for (const reply of replies) {
      await respond({ ...ephemeral(reply), replace_original: false }).catch(() => undefined);
    }
  };
}
