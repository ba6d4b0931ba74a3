import type { RespondArguments, SlashCommand } from '@slack/bolt';
import { toSlackMessage } from '../core/adapters/slack/render-message.js';
import type { ChatAddress } from '../core/domain/chat-address.js';
import type { ChatMessage } from '../core/ports/chat-message.js';

/** Who typed a slash command, and where, as every use case takes it. */
export function originOf(command: SlashCommand): Omit<ChatAddress, 'message'> {
  return {
    ...(command.team_id ? { workspace: command.team_id } : {}),
    channel: command.channel_id,
    user: { id: command.user_id, name: command.user_name },
  };
}

/** A message only the person who typed the command sees. */
export function ephemeral(message: ChatMessage): RespondArguments {
  return { response_type: 'ephemeral', ...toSlackMessage(message) };
}
