import type { ServerResponse } from 'node:http';
import type { ConsoleFeed } from '../../core/adapters/console/console-feed.js';
import { toHtml, type HtmlNames } from '../../core/adapters/console/render-html.js';
import type { ChatAddress, ChatUser } from '../../core/domain/chat-address.js';
import type { ChatMessage } from '../../core/ports/chat-message.js';
import type { CommandDependencies } from '../../core/use-cases/command-dependencies.js';
import type { ConsoleAccess } from './console-access.js';
import { loadAssets, type AssetName } from './console-assets.js';

export interface ConsoleChannel {
  id: string;
  name: string;
}

/** A button pressed in the console, as the handler of its action id receives it. */
export interface ButtonPress {
  value: string;
  /** Who pressed it, where, on which message. */
  origin: ChatAddress;
}

/** Answers a press with replies only the presser sees (none: the message itself changes). */
export type ConsoleAction = (press: ButtonPress) => Promise<ChatMessage[]>;

export interface ConsoleOptions {
  access: ConsoleAccess;
  /** The person at the console. */
  user: ChatUser;
  /** The console's workspace id: the origin of everything asked in it carries it. */
  workspace: string;
  /** The channels it shows; the page opens the first. */
  channels: readonly ConsoleChannel[];
  feed: ConsoleFeed;
  deps: CommandDependencies;
  /** Button handlers by action id, as the messages name them. */
  actions?: Readonly<Record<string, ConsoleAction>>;
}

/** What every console request handler works with. */
export interface ConsoleContext {
  options: ConsoleOptions;
  assets: Record<AssetName, Buffer>;
  names: HtmlNames;
  /** The open event streams, ended when the console closes. */
  streams: Set<ServerResponse>;
  isChannel(id: unknown): id is string;
  origin(channel: string): Omit<ChatAddress, 'message'>;
  /** Replies as the page shows them. */
  render(replies: readonly ChatMessage[]): { html: string }[];
}

export function consoleContext(options: ConsoleOptions): ConsoleContext {
  const names: HtmlNames = {
    user: (id) => (id === options.user.id ? options.user.name : undefined),
    channel: (id) => options.channels.find((channel) => channel.id === id)?.name,
  };
  return {
    options,
    assets: loadAssets(),
    names,
    streams: new Set(),
    isChannel: (id): id is string => options.channels.some((channel) => channel.id === id),
    origin: (channel) => ({ workspace: options.workspace, channel, user: options.user }),
    render: (replies) => replies.map((reply) => ({ html: toHtml(reply, names) })),
  };
}
