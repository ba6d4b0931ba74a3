import { isConsoleAddress } from '../core/adapters/console/console-address.js';
import { ConsoleChat } from '../core/adapters/console/console-chat.js';
import type { RedisClient } from '../core/adapters/redis-connection.js';
import { SlackChat } from '../core/adapters/slack/slack-chat.js';
import type { Config } from '../core/config.js';
import type { ChatAddress } from '../core/domain/chat-address.js';
import type { Logger } from '../core/logger.js';
import type { ChatCallMetrics } from '../core/ports/metrics.js';
import { ChatError, type Chat } from '../core/ports/chat.js';

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
 * console is told on the console (its Redis stream); any other, in Slack.
 */
export function chatFor(
  config: Config,
  logger: Logger,
  redis: RedisClient,
  metrics?: ChatCallMetrics,
): (origin: Pick<ChatAddress, 'workspace'>) => Chat {
  const consoleChat = new ConsoleChat({ redis, queueName: config.queue.name });
  const slackChat: Chat = config.slack
    ? new SlackChat({
        token: config.slack.botToken,
        ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
        logger,
        ...(metrics ? { metrics } : {}),
      })
    : new NoSlack();
  return (origin) => (isConsoleAddress(origin) ? consoleChat : slackChat);
}
