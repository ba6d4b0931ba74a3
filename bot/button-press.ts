import { randomUUID } from 'node:crypto';
import { BUTTON_ACTIONS } from '../core/domain/button-actions.js';
import { requestIdFromTrigger } from '../core/domain/idempotency.js';
import { deployCommandReply } from '../core/messages/command-replies.js';
import { cannotPostHereMessage } from '../core/messages/deploy-messages.js';
import type { ChatMessage } from '../core/ports/chat-message.js';
import { announceDeploy } from '../core/use-cases/announce-deploy.js';
import type { CommandDependencies } from '../core/use-cases/command-dependencies.js';
import { pressButton, type PressInput } from '../core/use-cases/press-button.js';
import type { ConsoleAction } from './console/console-context.js';

/**
 * A press of one of our buttons, on any surface: the use case, then what only the presser sees
 * (none when a rollback was queued: it is announced in the channel, as a deploy is).
 */
export async function answerButtonPress(
  input: PressInput,
  deps: CommandDependencies,
): Promise<ChatMessage[]> {
  const outcome = await pressButton(input, {
    ...deps,
    logger: deps.logger.child({ action: input.actionId, userId: input.origin.user.id }),
  });
  if (outcome.kind !== 'queued') return [deployCommandReply(outcome)];
  const announced = await announceDeploy(outcome, deps);
  return announced.kind === 'not-posted' ? [cannotPostHereMessage(outcome.request)] : [];
}

/** The console's handlers of Cancel, Rollback and Unlock: each press is one request. */
export function consoleButtonActions(deps: CommandDependencies): Record<string, ConsoleAction> {
  return Object.fromEntries(
    Object.values(BUTTON_ACTIONS).map((actionId): [string, ConsoleAction] => [
      actionId,
      (press) =>
        answerButtonPress(
          {
            actionId,
            value: press.value,
            origin: press.origin,
            requestId: requestIdFromTrigger(`console-press-${randomUUID()}`),
          },
          deps,
        ),
    ]),
  );
}
