import { isConsoleAddress } from '../core/adapters/console/console-address.js';
import { ConsoleChat } from '../core/adapters/console/console-chat.js';
import { ConsoleDirectory } from '../core/adapters/console/console-directory.js';
import type { RedisClient } from '../core/adapters/redis-connection.js';
import { SlackChat } from '../core/adapters/slack/slack-chat.js';
import { SlackDirectory } from '../core/adapters/slack/slack-directory.js';
import type { Config } from '../core/config.js';
import type { ChatAddress } from '../core/domain/chat-address.js';
import type { Logger } from '../core/logger.js';
import type { ChatCallMetrics } from '../core/ports/metrics.js';
import { ChatError, type Chat } from '../core/ports/chat.js';
import type { Directory } from '../core/ports/directory.js';

/** The chat a deploy is told on, and the directory its requester's groups are read from. */
export interface ChatSurface {
  chat: Chat;
  directory: Directory;
}

/** Where a deploy asked for in Slack is told about, when this worker has no Slack token. */
class NoSlack implements Chat {
  private refuse(): Promise<never> {
    return Promise.reject(
      new ChatError('refused', 'Slack is not configured in the worker (SLACK_BOT_TOKEN is unset)'),
    );
  }
  post = () => this.refuse();
  update = () => this.refuse();
  reply = () => this.refuse();
  uploadText = () => this.refuse();
  permalink = () => this.refuse();
}

/**
 * The chat a deploy's progress goes to: the surface it was asked on. A deploy asked on the
 * console is told on the console (its Redis stream); any other, in Slack. User groups are
 * Slack's whenever Slack is configured (a console person may be a Slack user), as in the bot.
 */
export function chatFor(
  config: Config,
  logger: Logger,
  redis: RedisClient,
  metrics?: ChatCallMetrics,
): (origin: Pick<ChatAddress, 'workspace'>) => ChatSurface {
  const consoleChat = new ConsoleChat({ redis, queueName: config.queue.name });
  const slackChat = config.slack
    ? new SlackChat({
        token: config.slack.botToken,
        ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
        logger,
        ...(metrics ? { metrics } : {}),
      })
    : undefined;
  const directory: Directory = slackChat
    ? new SlackDirectory({ client: slackChat.client })
    : new ConsoleDirectory();
  const slack: ChatSurface = { chat: slackChat ?? new NoSlack(), directory };
  const web: ChatSurface = { chat: consoleChat, directory };
  return (origin) => (isConsoleAddress(origin) ? web : slack);
}
