import type { SlackChannel } from '../directory.js';
import { SlackApiError } from '../errors.js';
import type { Args } from '../http.js';
import type { JsonObject } from '../json.js';
import type { StoredMessage } from '../transcript-store.js';
import type { TokenGrant } from '../tokens.js';
import type { Workspace } from '../workspace.js';
import { stringArg } from './args.js';

export interface MethodContext {
  args: Args;
  ws: Workspace;
  /** The calling token and its scopes. */
  grant: TokenGrant;
}

/** A Web API method: returns the fields of a successful answer, or throws SlackApiError. */
export type MethodHandler = (ctx: MethodContext) => JsonObject;

/** The channel a method names; Slack hides private channels the bot is not in. */
export function channelArg(ctx: MethodContext, key = 'channel'): SlackChannel {
  const argument = stringArg(ctx.args, key);
  if (argument === undefined) throw new SlackApiError('channel_not_found');
  const channel = ctx.ws.directory.resolveChannel(argument);
  if (channel === undefined) throw new SlackApiError('channel_not_found');
  if (channel.isPrivate && !channel.botIsMember) throw new SlackApiError('channel_not_found');
  return channel;
}

/**
 * A channel the bot may post in: not archived, and the bot is a member, or (where the method
 * honours it) a public channel and the token has `chat:write.public`.
 */
export function postableChannel(
  ctx: MethodContext,
  key = 'channel',
  options: { publicScope?: boolean } = {},
): SlackChannel {
  const channel = channelArg(ctx, key);
  if (channel.isArchived) throw new SlackApiError('is_archived');
  if (channel.botIsMember) return channel;
  const isPublic = !channel.isPrivate && !channel.isIm;
  if (options.publicScope === true && isPublic && ctx.grant.scopes.has('chat:write.public')) {
    return channel;
  }
  throw new SlackApiError('not_in_channel');
}

/**
 * The root of the thread a reply goes into. Slack accepts a ts that names no message (the reply
 * then hangs in a thread nobody can open), so the double accepts it too but records it as
 * unhandled: it is almost always a bug in the app.
 */
export function threadRoot(
  ctx: MethodContext,
  channel: SlackChannel,
  method: string,
): string | undefined {
  const threadTs = stringArg(ctx.args, 'thread_ts');
  if (threadTs === undefined) return undefined;
  const parent = ctx.ws.transcript.find(channel.id, threadTs);
  if (parent === undefined) {
    ctx.ws.recordUnhandled({
      httpMethod: 'POST',
      path: `/api/${method}`,
      method,
      reason: `thread_ts ${threadTs} names no message in ${channel.id}; the reply would be invisible`,
    });
    return threadTs;
  }
  return parent.threadTs ?? parent.ts;
}

/** The `message` object Slack returns for a bot's message. */
export function messageJson(ws: Workspace, message: StoredMessage): JsonObject {
  return {
    type: 'message',
    text: message.content.text,
    user: message.author,
    ...(message.author === ws.bot.userId ? { bot_id: ws.bot.botId, app_id: ws.bot.appId } : {}),
    blocks: message.content.blocks,
    ...(message.content.attachments.length > 0 ? { attachments: message.content.attachments } : {}),
    ts: message.ts,
    ...(message.threadTs === undefined ? {} : { thread_ts: message.threadTs }),
    team: ws.team.id,
  };
}
