/** chat.postMessage, chat.update, chat.delete, chat.postEphemeral and chat.getPermalink. */
import { SlackApiError, missingArgument } from '../errors.js';
import type { MessageContent } from '../transcript-store.js';
import { assertValidContent, booleanArg, contentArgs, objectsOnly, stringArg } from './args.js';
import {
  messageJson,
  postableChannel,
  threadRoot,
  channelArg,
  type MethodHandler,
} from './method.js';

export const postMessage: MethodHandler = (ctx) => {
  const channel = postableChannel(ctx, 'channel', { publicScope: true });
  const sent = contentArgs(ctx.args);
  assertValidContent(sent);
  const threadTs = threadRoot(ctx, channel, 'chat.postMessage');
  const content: MessageContent = {
    text: sent.text ?? '',
    blocks: ctx.ws.transcript.normalizeBlocks(sent.blocks ?? []),
    attachments: objectsOnly(sent.attachments ?? []),
  };
  const message = ctx.ws.transcript.post({
    channel: channel.id,
    author: ctx.ws.bot.userId,
    origin: 'web_api',
    content,
    ...(threadTs === undefined ? {} : { threadTs }),
    replyBroadcast: threadTs !== undefined && booleanArg(ctx.args, 'reply_broadcast'),
  });
  return { channel: channel.id, ts: message.ts, message: messageJson(ctx.ws, message) };
};

export const update: MethodHandler = (ctx) => {
  const channel = channelArg(ctx);
  const ts = stringArg(ctx.args, 'ts');
  if (ts === undefined) throw new SlackApiError('message_not_found');
  const message = ctx.ws.transcript.find(channel.id, ts);
  if (message === undefined) throw new SlackApiError('message_not_found');
  if (message.author !== ctx.ws.bot.userId) throw new SlackApiError('cant_update_message');
  if (channel.isArchived) throw new SlackApiError('is_inactive');
  const sent = contentArgs(ctx.args);
  if (sent.text === undefined && sent.blocks === undefined && sent.attachments === undefined) {
    throw new SlackApiError('no_text');
  }
  // Slack keeps what the update leaves out: omitted blocks or attachments stay as they were.
  const merged = {
    text: sent.text ?? message.content.text,
    blocks: sent.blocks ?? message.content.blocks,
    attachments: sent.attachments ?? message.content.attachments,
  };
  assertValidContent(merged);
  ctx.ws.transcript.replace(
    message,
    {
      text: merged.text,
      blocks: ctx.ws.transcript.normalizeBlocks(merged.blocks),
      attachments: objectsOnly(merged.attachments),
    },
    'web_api',
  );
  const json = messageJson(ctx.ws, message);
  return { channel: channel.id, ts: message.ts, text: message.content.text, message: json };
};

export const postEphemeral: MethodHandler = (ctx) => {
  const channel = postableChannel(ctx);
  const user = stringArg(ctx.args, 'user');
  if (user === undefined) throw missingArgument('user');
  if (!ctx.ws.directory.isMember(channel, user)) throw new SlackApiError('user_not_in_channel');
  const sent = contentArgs(ctx.args);
  assertValidContent(sent);
  const threadTs = threadRoot(ctx, channel, 'chat.postEphemeral');
  const message = ctx.ws.transcript.postEphemeral({
    channel: channel.id,
    recipient: user,
    author: ctx.ws.bot.userId,
    origin: 'web_api',
    content: {
      text: sent.text ?? '',
      blocks: ctx.ws.transcript.normalizeBlocks(sent.blocks ?? []),
      attachments: objectsOnly(sent.attachments ?? []),
    },
    ...(threadTs === undefined ? {} : { threadTs }),
  });
  return { message_ts: message.ts };
};

export const getPermalink: MethodHandler = (ctx) => {
  const channel = channelArg(ctx);
  const ts = stringArg(ctx.args, 'message_ts');
  if (ts === undefined) throw new SlackApiError('message_not_found');
  const message = ctx.ws.transcript.find(channel.id, ts);
  if (message === undefined) throw new SlackApiError('message_not_found');
  const base = `https://${ctx.ws.team.domain}.slack.com/archives/${channel.id}/p${ts.replace('.', '')}`;
  const thread =
    message.threadTs === undefined ? '' : `?thread_ts=${message.threadTs}&cid=${channel.id}`;
  return { channel: channel.id, permalink: `${base}${thread}` };
};

export const deleteMessage: MethodHandler = (ctx) => {
  const channel = channelArg(ctx);
  const ts = stringArg(ctx.args, 'ts');
  const message = ts === undefined ? undefined : ctx.ws.transcript.find(channel.id, ts);
  if (message === undefined) throw new SlackApiError('message_not_found');
  if (message.author !== ctx.ws.bot.userId) throw new SlackApiError('cant_delete_message');
  ctx.ws.transcript.delete(message);
  return { channel: channel.id, ts: message.ts };
};
