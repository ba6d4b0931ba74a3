import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../core/adapters/redis-connection.js';
import { CONSOLE_CHANNEL, CONSOLE_WORKSPACE } from '../core/adapters/console/console-address.js';
import { ConsoleChat } from '../core/adapters/console/console-chat.js';
import { ConsoleDirectory } from '../core/adapters/console/console-directory.js';
import { ConsoleFeed } from '../core/adapters/console/console-feed.js';
import type { HttpRoute } from '../core/adapters/health-endpoints.js';
import type { Config, ConsoleConfig } from '../core/config.js';
import type { Directory } from '../core/ports/directory.js';
import type { CommandDependencies } from '../core/use-cases/command-dependencies.js';
import { consoleButtonActions } from './button-press.js';
import { isLoopback } from './console/console-access.js';
import type { ConsoleChannel } from './console/console-context.js';
import { createConsole } from './console/console-routes.js';

export interface ConsoleSurface {
  routes: HttpRoute[];
  /**
   * The address to open. A token made at start-up is in it (nothing else shows it); one set in
   * HARBORMASTER_CONSOLE_TOKEN is not repeated.
   */
  link(port: number): string;
  stop(): Promise<void>;
}

export interface ConsoleSurfaceOptions {
  config: Config;
  console: ConsoleConfig;
  /** The commands' dependencies but the chat and the directory, which are the console's. */
  common: Omit<CommandDependencies, 'chat' | 'directory'>;
  /** Slack's directory, when Slack is on too: a console person may be a Slack user. */
  slackDirectory?: Directory;
  /** For the console's stream; answers or fails. */
  redis: RedisClient;
  /** Its own connection, for waiting on new entries. */
  follow: RedisClient;
}

/** The channels the console shows: its own, and the catalog's failure channel when there is one. */
function channelsOf(config: Config): ConsoleChannel[] {
  const failures = config.catalog.notifications?.failureChannel;
  return [
    CONSOLE_CHANNEL,
    ...(failures === undefined ? [] : [{ id: failures, name: 'deploy-failures' }]),
  ];
}

/**
 * The web console, wired: messages through the RedisClient stream the workers write to, commands
 * through the same use cases as Slack's. It needs a token whenever it is reachable from more
 * than this machine's loopback: a bind address other than loopback, or Slack's HTTP server.
 */
export function startConsoleSurface(options: ConsoleSurfaceOptions): ConsoleSurface {
  const { config, common } = options;
  const settings = options.console;
  const servedWithSlack = config.slack !== undefined;
  const needsToken = servedWithSlack || !isLoopback(settings.host);
  const token = settings.token ?? (needsToken ? randomBytes(24).toString('base64url') : undefined);
  const channels = channelsOf(config);
  const feed = new ConsoleFeed({
    redis: options.redis,
    follow: options.follow,
    queueName: config.queue.name,
    channels: channels.map((channel) => channel.id),
    logger: common.logger,
  });
  feed.start();
  const deps: CommandDependencies = {
    ...common,
    chat: new ConsoleChat({ redis: options.redis, queueName: config.queue.name }),
    directory: options.slackDirectory ?? new ConsoleDirectory(),
  };
  const web = createConsole({
    access: { ...(token === undefined ? {} : { token }), port: config.http.port },
    user: settings.user,
    workspace: CONSOLE_WORKSPACE,
    channels,
    feed,
    deps,
    actions: consoleButtonActions(deps),
  });
  const anyAddress = /^[0:.]+$/.test(settings.host);
  const shownHost =
    isLoopback(settings.host) || servedWithSlack || anyAddress ? 'localhost' : settings.host;
  return {
    routes: web.routes,
    link: (port) => {
      const made = settings.token === undefined && token !== undefined;
      return `http://${shownHost}:${port}/${made ? `?token=${token}` : ''}`;
    },
    async stop() {
      web.close();
      await feed.stop();
    },
  };
}
