import type { RedisClient } from '../core/adapters/redis-connection.js';
import { healthRoutes, serveRoutes, type HttpRoute } from '../core/adapters/health-endpoints.js';
import { SlackChat } from '../core/adapters/slack/slack-chat.js';
import { SlackDirectory } from '../core/adapters/slack/slack-directory.js';
import type { Config } from '../core/config.js';
import type { ChatCallMetrics } from '../core/ports/metrics.js';
import type { CommandDependencies } from '../core/use-cases/command-dependencies.js';
import { createBot } from './app.js';
import { startConsoleSurface, type ConsoleSurface } from './console-surface.js';

export interface RunningBot {
  /** The HTTP port: /healthz, /readyz, the console, and /slack/events in HTTP mode. */
  port: number;
  /** Which chat surfaces answer. */
  surfaces: ('slack-http' | 'slack-socket' | 'console')[];
  console?: ConsoleSurface;
  stop(): Promise<void>;
}

export interface BotConnections {
  /** Answers or fails: the queue's and the console's commands. */
  redis: RedisClient;
  /** The console's own, for waiting on new messages. */
  follow: RedisClient;
}

export interface BotMetrics extends ChatCallMetrics {
  /** GET /metrics. */
  route(): HttpRoute;
}

function slackChatFor(
  slack: NonNullable<Config['slack']>,
  logger: CommandDependencies['logger'],
  metrics: ChatCallMetrics,
): SlackChat {
  return new SlackChat({
    token: slack.botToken,
    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
    logger,
    metrics,
  });
}

/**
 * The bot's chat surfaces on one HTTP port: Slack (Bolt, HTTP or Socket Mode) when its token is
 * set, the web console when it is on, or both; /healthz, /readyz and /metrics always.
 */
export async function startBot(
  config: Config,
  common: Omit<CommandDependencies, 'chat' | 'directory'>,
  connections: BotConnections,
  metrics: BotMetrics,
): Promise<RunningBot> {
  const slackChat = config.slack ? slackChatFor(config.slack, common.logger, metrics) : undefined;
  const slackDirectory = slackChat ? new SlackDirectory({ client: slackChat.client }) : undefined;
  const web = config.console
    ? startConsoleSurface({
        config,
        console: config.console,
        common,
        ...(slackDirectory ? { slackDirectory } : {}),
        ...connections,
      })
    : undefined;
  const routes = [
    ...healthRoutes({ redis: () => common.queue.ping() }),
    metrics.route(),
    ...(web?.routes ?? []),
  ];
  const console = web ? (['console'] as const) : [];

  if (config.slack && slackChat && slackDirectory) {
    const bot = createBot(
      config.slack,
      config.http.port,
      { ...common, chat: slackChat, directory: slackDirectory },
      routes,
    );
    const port = await bot.start();
    const slack = config.slack.appToken ? 'slack-socket' : 'slack-http';
    return {
      port,
      surfaces: [slack, ...console],
      ...(web ? { console: web } : {}),
      async stop() {
        await web?.stop();
        await bot.stop();
      },
    };
  }
  const host = config.console?.host ?? '127.0.0.1';
  const server = await serveRoutes(routes, { port: config.http.port, host });
  return {
    port: server.port,
    surfaces: [...console],
    ...(web ? { console: web } : {}),
    async stop() {
      await web?.stop();
      await server.close();
    },
  };
}
