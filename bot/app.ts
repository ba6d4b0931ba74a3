import {
  serveRoutes,
  type HttpEndpoint,
  type HttpRoute,
} from '../core/adapters/health-endpoints.js';
import { App, HTTPReceiver, LogLevel, type BlockButtonAction } from '@slack/bolt';
import type { Server } from 'node:http';
import type { SlackConfig } from '../core/config.js';
import type { SlackMembership } from '../core/adapters/slack/slack-membership.js';
import { slackLogger } from '../core/adapters/slack/slack-logger.js';
import type { CommandDependencies } from '../core/use-cases/command-dependencies.js';
import { BUTTON_ACTION_PATTERN, buttonActionHandler } from './button-action.js';
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
 * Bolt itself: its HTTP receiver (signed requests, at most 64 KiB, and `routes`) or, in Socket
 * Mode, the WebSocket client only.
 */
function boltApp(
  slack: SlackConfig,
  routes: readonly HttpRoute[],
  parentLogger: CommandDependencies['logger'],
): App {
  const clientOptions = slack.apiUrl ? { slackApiUrl: slack.apiUrl } : undefined;
  const logger = slackLogger(parentLogger, { component: 'bolt', level: LogLevel.INFO });
  return new App({
    token: slack.botToken,
    ...(slack.appToken !== undefined
      ? {
          socketMode: true,
          appToken: slack.appToken,
          // Socket Mode's own client (apps.connections.open) takes its Web API URL from here only.
          // No routes and no port: Bolt would listen without waiting or reporting an error.
          installerOptions: clientOptions ? { clientOptions } : {},
        }
      : {
          receiver: new HTTPReceiver({
            signingSecret: slack.signingSecret ?? '',
            customRoutes: [...routes],
            bodyLimit: MAX_REQUEST_BODY_BYTES,
            logger,
          }),
        }),
    ...(clientOptions ? { clientOptions } : {}),
    logger,
    // Bolt's conversation store is not used: without it, no look-up (and no Error made for a
    // conversation it has never seen) on every request.
    convoStore: false,
  });
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
  const app = boltApp(slack, routes, deps.logger);
  const access = { membership: surface.membership, catalog: deps.catalog, logger: deps.logger };
  app.command('/deploy', deployCommandHandler(deps, access));
  app.command('/status', statusCommandHandler(deps, access));
  app.action<BlockButtonAction>(BUTTON_ACTION_PATTERN, buttonActionHandler(deps, access));
  app.error(async (error) => {
    deps.logger.error({ err: error }, 'unhandled error in a Slack handler');
    return Promise.resolve();
  });

  let endpoint: HttpEndpoint | undefined;
  return {
    app,
    async start() {
      // The app's own workspace, asked once before the first command, so that a command waits
      // on at most one Slack call (users.info) for who its sender is.
      await surface.membership.homeWorkspace().catch((error: unknown) => {
        deps.logger.warn({ err: error }, 'auth.test failed: the workspace is asked again later');
      });
      if (socketMode) {
        // Listening first, and awaited: a port in use fails start, and port 0 is the kernel's.
        endpoint = await serveRoutes(routes, { port });
        await app.start().catch(async (error: unknown) => {
          await endpoint?.close();
          throw error;
        });
        return endpoint.port;
      }
      const server = (await app.start(port)) as Server;
      const address = server.address();
      return typeof address === 'object' && address !== null ? address.port : port;
    },
    async stop() {
      await app.stop();
      await endpoint?.close();
    },
  };
}
