import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { acceptLinkToken, linkTokenValid, sameOriginJson } from './console-access.js';
import { sendAsset } from './console-assets.js';
import { CONSOLE_COMMANDS, runConsoleCommand } from './console-commands.js';
import type { ConsoleContext } from './console-context.js';
import { streamChannel } from './console-stream.js';
import { readJson, sendJson } from './http-io.js';

export type Handler = (
  context: ConsoleContext,
  request: IncomingMessage,
  response: ServerResponse,
) => void | Promise<void>;

const commandSchema = z.strictObject({
  channel: z.string(),
  text: z.string().min(1).max(4000),
  requestId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/),
});

const pressSchema = z.strictObject({
  channel: z.string(),
  message: z.string().regex(/^\d+-\d+$/),
  actionId: z.string().min(1).max(255),
  value: z.string().max(2000),
});

/** The page; a link carrying the token sets its cookie first. */
export const page: Handler = (context, request, response) => {
  const { access } = context.options;
  if (linkTokenValid(request, access)) {
    acceptLinkToken(response, access);
    return;
  }
  sendAsset(response, context.assets, 'index.html');
};

/** Who is at the console, and its channels: what the page needs to draw itself. */
export const session: Handler = (context, _request, response) => {
  const { user, channels } = context.options;
  sendJson(response, 200, { user, channels, commands: CONSOLE_COMMANDS });
};

/** A channel, live (server-sent events). */
export const events: Handler = async (context, request, response) => {
  const channel = new URL(request.url ?? '/', 'http://console').searchParams.get('channel');
  if (!context.isChannel(channel)) {
    sendJson(response, 404, { error: 'unknown-channel' });
    return;
  }
  context.streams.add(response);
  response.on('close', () => context.streams.delete(response));
  const { feed, deps } = context.options;
  await streamChannel(response, channel, { feed, names: context.names, logger: deps.logger });
};

/** A slash command typed in a channel; what only its author sees comes back in the answer. */
export const command: Handler = async (context, request, response) => {
  const body = sameOriginJson(request)
    ? commandSchema.safeParse(await readJson(request))
    : undefined;
  if (!body?.success || !context.isChannel(body.data.channel)) {
    sendJson(response, 400, { error: 'bad-request' });
    return;
  }
  const { channel, text, requestId } = body.data;
  const origin = context.origin(channel);
  const answer = await runConsoleCommand({ text, requestId, origin }, context.options.deps);
  if (answer.kind === 'unknown') {
    sendJson(response, 404, { error: 'unknown-command', commands: CONSOLE_COMMANDS });
    return;
  }
  sendJson(response, 200, { replies: context.render(answer.replies) });
};

/** A button pressed on a message: handled by whatever handles its action id in Slack too. */
export const press: Handler = async (context, request, response) => {
  const body = sameOriginJson(request) ? pressSchema.safeParse(await readJson(request)) : undefined;
  if (!body?.success || !context.isChannel(body.data.channel)) {
    sendJson(response, 400, { error: 'bad-request' });
    return;
  }
  const { channel, message, actionId, value } = body.data;
  const action = Object.hasOwn(context.options.actions ?? {}, actionId)
    ? context.options.actions?.[actionId]
    : undefined;
  if (action === undefined) {
    sendJson(response, 404, { error: 'unknown-action' });
    return;
  }
  const replies = await action({ value, origin: { ...context.origin(channel), message } });
  sendJson(response, 200, { replies: context.render(replies) });
};

export const asset =
  (name: 'console.js' | 'console.css'): Handler =>
  (context, _request, response) => {
    sendAsset(response, context.assets, name);
  };
