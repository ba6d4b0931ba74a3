import { z } from 'zod';
import { slackChannelId, slackUserId } from './names.js';

/** A person in the chat workspace. */
export const chatUserSchema = z.strictObject({
  /** Their user id (Slack: U…), what the catalog's deployers list. */
  id: slackUserId,
  /** Their handle, for labels and logs. */
  name: z.string().min(1),
});

export type ChatUser = z.infer<typeof chatUserSchema>;

/**
 * Where something was asked in chat, by whom, and which message answers it: one value, the same
 * for every chat surface, so that nothing past the surface needs to know Slack's field names.
 */
export const chatAddressSchema = z.strictObject({
  /** The workspace (Slack: the team id), when the surface knows one. */
  workspace: z.string().min(1).max(64).optional(),
  /** The conversation (Slack: the channel id). */
  channel: slackChannelId,
  user: chatUserSchema,
  /** The message this is about, once there is one (Slack: its ts). */
  message: z.string().min(1).max(64).optional(),
});

export type ChatAddress = z.infer<typeof chatAddressSchema>;
