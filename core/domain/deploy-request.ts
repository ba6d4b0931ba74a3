import { z } from 'zod';
import { environmentName, gitRef, serviceName, slackChannelId, slackUserId } from './names.js';

/**
 * The contract between bot and worker: what the bot puts on the queue and the worker takes off.
 * Both sides parse it, so a job from an older or newer bot fails loudly instead of half-working.
 */
export const deployRequestSchema = z.strictObject({
  /** Idempotency key and BullMQ job id: one per slash command, however often Slack delivers it. */
  id: z.string().min(1).max(200),
  service: serviceName,
  ref: gitRef,
  environment: environmentName,
  requestedBy: z.strictObject({ userId: slackUserId, userName: z.string().min(1) }),
  channelId: slackChannelId,
  /** The in-channel "queued" message that the worker updates in place. */
  messageTs: z.string().optional(),
  requestedAt: z.iso.datetime(),
});

export type DeployRequest = z.infer<typeof deployRequestSchema>;

export function parseDeployRequest(data: unknown): DeployRequest {
  return deployRequestSchema.parse(data);
}
