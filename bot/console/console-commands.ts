import type { ChatAddress } from '../../core/domain/chat-address.js';
import { requestIdFromTrigger } from '../../core/domain/idempotency.js';
import { deployCommandReply } from '../../core/messages/command-replies.js';
import { cannotPostHereMessage } from '../../core/messages/deploy-messages.js';
import { statusMessage, unknownWordMessage } from '../../core/messages/status-message.js';
import type { ChatMessage } from '../../core/ports/chat-message.js';
import { announceDeploy } from '../../core/use-cases/announce-deploy.js';
import type { CommandDependencies } from '../../core/use-cases/command-dependencies.js';
import { deployCommand } from '../../core/use-cases/deploy-command.js';
import { checkStatusQuery, queryStatus } from '../../core/use-cases/query-status.js';

export interface ConsoleCommand {
  /** What was typed, e.g. `/deploy hello-world`. */
  text: string;
  /** One per command the page sent, however often it sends it. */
  requestId: string;
  origin: Omit<ChatAddress, 'message'>;
}

/** What the console answers: replies only the person who typed sees, or "no such command". */
export type ConsoleAnswer = { kind: 'answered'; replies: ChatMessage[] } | { kind: 'unknown' };

/** The commands the console knows, as Slack's manifest declares them. */
export const CONSOLE_COMMANDS = ['/deploy', '/status'] as const;

async function deploy(text: string, command: ConsoleCommand, deps: CommandDependencies) {
  const { origin } = command;
  const outcome = await deployCommand(
    { text, origin, requestId: requestIdFromTrigger(`console-${command.requestId}`) },
    {
      ...deps,
      logger: deps.logger.child({ command: '/deploy', userId: origin.user.id, surface: 'console' }),
    },
  );
  if (outcome.kind !== 'queued') return [deployCommandReply(outcome)];
  const announced = await announceDeploy(outcome, deps);
  return announced.kind === 'not-posted' ? [cannotPostHereMessage(outcome.request)] : [];
}

async function status(text: string, deps: CommandDependencies) {
  const checked = checkStatusQuery(text, deps);
  if (checked.kind === 'unknown-word') {
    return [unknownWordMessage(checked.word, checked.suggestions)];
  }
  return [statusMessage(await queryStatus(checked.query, deps))];
}

/**
 * A slash command typed in the console: the same use cases and messages as Slack's handlers, the
 * outcome rendered by the console. A queued deploy is announced in the channel, like in Slack.
 */
export async function runConsoleCommand(
  command: ConsoleCommand,
  deps: CommandDependencies,
): Promise<ConsoleAnswer> {
  const [name = '', ...rest] = command.text.trim().split(/\s+/);
  const text = rest.join(' ');
  switch (name) {
    case '/deploy':
      return { kind: 'answered', replies: await deploy(text, command, deps) };
    case '/status':
      return { kind: 'answered', replies: await status(text, deps) };
    default:
      return { kind: 'unknown' };
  }
}
