import type { HttpRoute } from '../core/adapters/health-endpoints.js';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import type { Server } from 'node:http';
import type { SlackConfig } from '../core/config.js';
import type { SlackMembership } from '../core/adapters/slack/slack-membership.js';
import { slackLogger } from '../core/adapters/slack/slack-logger.js';
import type { CommandDependencies } from '../core/use-cases/command-dependencies.js';
import { deployCommandHandler } from './deploy-command.js';
import { statusCommandHandler } from './status-command.js';

/** The largest request body taken over HTTP; a larger one is refused (413) before it is read. */
export const MAX_REQUEST_BODY_BYTES = 64 * 1024;

export interface Bot {
  app: App;
  /** Starts serving; resolves to the HTTP port it listens on. */
  start(): Promise<number>;
  stop(): Promise<void>;
}

export interface SlackSurface {
  /** Who a Slack user is to the app's workspace: guests and other workspaces are refused. */
  membership: SlackMembership;
}

/**
 * The Bolt app: HTTP mode (`POST /slack/events`, signed requests, at most 64 KiB) or, with an
 * app-level token, Socket Mode. Either way `routes` (/healthz and /readyz, and the console when
 * it is on) are served over HTTP on `port`.
 */
export function createBot(
  slack: SlackConfig,
  port: number,
  deps: CommandDependencies,
  routes: readonly HttpRoute[],
  surface: SlackSurface,
): Bot {
  const socketMode = slack.appToken !== undefined;
  const clientOptions = slack.apiUrl ? { slackApiUrl: slack.apiUrl } : undefined;
  const logger = slackLogger(deps.logger, { component: 'bolt', level: LogLevel.INFO });
  const customRoutes = [...routes];
  const app = new App({
    token: slack.botToken,
    ...(socketMode
      ? {
          socketMode: true,
          appToken: slack.appToken,
          customRoutes,
          // Socket Mode's own client (apps.connections.open) takes its Web API URL from here only.
          installerOptions: { port, ...(clientOptions ? { clientOptions } : {}) },
        }
      : {
          receiver: new HTTPReceiver({
            signingSecret: slack.signingSecret ?? '',
            customRoutes,
            bodyLimit: MAX_REQUEST_BODY_BYTES,
            logger,
          }),
        }),
    ...(clientOptions ? { clientOptions } : {}),
    logger,
  });
  const access = { membership: surface.membership, catalog: deps.catalog, logger: deps.logger };
  app.command('/deploy', deployCommandHandler(deps, access));
  app.command('/status', statusCommandHandler(deps, access));
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
