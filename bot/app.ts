import type { HttpRoute } from '../core/adapters/health-endpoints.js';
import { App, LogLevel, type BlockButtonAction } from '@slack/bolt';
import type { Server } from 'node:http';
import type { SlackConfig } from '../core/config.js';
import { slackLogger } from '../core/adapters/slack/slack-logger.js';
import type { CommandDependencies } from '../core/use-cases/command-dependencies.js';
import { BUTTON_ACTION_PATTERN, buttonActionHandler } from './button-action.js';
import { deployCommandHandler } from './deploy-command.js';
import { statusCommandHandler } from './status-command.js';

export interface Bot {
  app: App;
  /** Starts serving; resolves to the HTTP port it listens on. */
  start(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The Bolt app: HTTP mode (`POST /slack/events`, signed requests) or, with an app-level token,
 * Socket Mode. Either way `routes` (/healthz and /readyz, and the console when it is on) are
 * served over HTTP on `port`.
 */
export function createBot(
  slack: SlackConfig,
  port: number,
  deps: CommandDependencies,
  routes: readonly HttpRoute[],
): Bot {
  const socketMode = slack.appToken !== undefined;
  const clientOptions = slack.apiUrl ? { slackApiUrl: slack.apiUrl } : undefined;
  const app = new App({
    token: slack.botToken,
    ...(socketMode
      ? { socketMode: true, appToken: slack.appToken }
      : { signingSecret: slack.signingSecret ?? '' }),
    ...(clientOptions ? { clientOptions } : {}),
    customRoutes: [...routes],
    // Socket Mode's own client (apps.connections.open) takes its Web API URL from here only.
    ...(socketMode
      ? { installerOptions: { port, ...(clientOptions ? { clientOptions } : {}) } }
      : {}),
    logger: slackLogger(deps.logger, { component: 'bolt', level: LogLevel.INFO }),
  });
  app.command('/deploy', deployCommandHandler(deps));
  app.command('/status', statusCommandHandler(deps));
  app.action<BlockButtonAction>(BUTTON_ACTION_PATTERN, buttonActionHandler(deps));
  app.error(async (error) => {
    deps.logger.error({ err: error }, 'unhandled error in a Slack handler');
    return Promise.resolve();
  });

  return {
    app,
    async start() {
      if (socketMode) {
        await app.start();
        return port;
      }
      const server = (await app.start(port)) as Server;
      const address = server.address();
      return typeof address === 'object' && address !== null ? address.port : port;
    },
    async stop() {
      await app.stop();
    },
  };
}
