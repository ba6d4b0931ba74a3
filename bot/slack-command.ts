import type { RespondArguments, SlashCommand } from '@slack/bolt';
import { z } from 'zod';
import { toSlackMessage } from '../core/adapters/slack/render-message.js';
import type { ChatAddress } from '../core/domain/chat-address.js';
import type { MalformedOutcome } from '../core/domain/command-outcomes.js';
import { requestIdFromTrigger } from '../core/domain/idempotency.js';
import { slackChannelId, slackUserId } from '../core/domain/names.js';
import type { Logger } from '../core/logger.js';
import { malformedMessage } from '../core/messages/guard-replies.js';
import type { ChatMessage } from '../core/ports/chat-message.js';

/** The fields of a slash command Harbormaster reads, as Slack names them. */
const slashCommandSchema = z.object({
  team_id: z.string().min(1, 'a Slack team ID').max(64, 'a Slack team ID').optional(),
  channel_id: slackChannelId,
  user_id: slackUserId,
  user_name: z.string().min(1, 'a user name').max(256, 'a user name of at most 256 characters'),
  trigger_id: z.string().min(1, 'a trigger ID').max(200, 'a trigger ID'),
  text: z.string(),
});

export type ReadCommand =
  | { ok: true; text: string; origin: Omit<ChatAddress, 'message'>; requestId: string }
  | { ok: false; malformed: MalformedOutcome };

/**
 * A slash command's payload read against what Harbormaster needs of it: who typed it, where,
 * and which command it was. A field that is not what Slack sends is named, never guessed at.
 */
export function readSlashCommand(command: SlashCommand): ReadCommand {
  const parsed = slashCommandSchema.safeParse(command);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'payload';
    return { ok: false, malformed: { kind: 'malformed', field, expected: issue?.message ?? '' } };
  }
  const { team_id, channel_id, user_id, user_name, trigger_id, text } = parsed.data;
  return {
    ok: true,
    text,
    origin: {
      ...(team_id ? { workspace: team_id } : {}),
      channel: channel_id,
      user: { id: user_id, name: user_name },
    },
    requestId: requestIdFromTrigger(trigger_id),
  };
}

/** The private answer to a payload that fails the schema, logged at warn. */
export function malformedAnswer(malformed: MalformedOutcome, logger: Logger): RespondArguments {
  logger.warn(
    { field: malformed.field, expected: malformed.expected },
    'slash command refused: malformed payload',
  );
  return ephemeral(malformedMessage(malformed.field, malformed.expected));
}

/** A message only the person who typed the command sees. */
export function ephemeral(message: ChatMessage): RespondArguments {
  return { response_type: 'ephemeral', ...toSlackMessage(message) };
}

/**
 * Slack waits 3 seconds for a command's answer. Every look-up before it shares this much of
 * them (the rest is the way back), so that slow calls in a row cannot add up past it.
 */
export const ANSWER_WITHIN_MS = 2500;

/** The moment (epoch ms) a command that arrives now must be answered by. */
export function answerDeadline(): number {
  return Date.now() + ANSWER_WITHIN_MS;
}
