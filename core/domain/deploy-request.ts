import { z } from 'zod';
import { chatAddressSchema } from './chat-address.js';
import { environmentName, gitRef, serviceName, slackChannelId, slackUserId } from './names.js';

const commonFields = {
  /** Idempotency key and BullMQ job id: one per slash command, however often Slack delivers it. */
  id: z.string().min(1).max(200),
  service: serviceName,
  ref: gitRef,
  environment: environmentName,
  requestedAt: z.iso.datetime(),
};

/** The shape this version queues (the union below also reads the previous one). */
export const currentDeployRequestSchema = z.strictObject({
  ...commonFields,
  /** Who asked, where, and the message the worker updates in place once the bot posted it. */
  origin: chatAddressSchema,
  /** A rollback instead of a deploy (absent: a deploy). A rollback's `ref` only names its aim. */
  kind: z.enum(['deploy', 'rollback']).optional(),
  /** The revision a rollback goes back to; absent: the previous successful one. */
  revision: z.number().int().min(1).optional(),
  /** `--rebuild`: test, build and push again even when an image of this source passed before. */
  rebuild: z.literal(true).optional(),
});

export type DeployRequest = z.infer<typeof currentDeployRequestSchema>;

/** The shape a bot of the previous version queues; read so that its queued jobs still run. */
const previousSchema = z
  .strictObject({
    ...commonFields,
    requestedBy: z.strictObject({ userId: slackUserId, userName: z.string().min(1) }),
    channelId: slackChannelId,
    messageTs: z.string().min(1).optional(),
  })
  .transform(({ requestedBy, channelId, messageTs, ...rest }): DeployRequest => ({
    ...rest,
    origin: {
      channel: channelId,
      user: { id: requestedBy.userId, name: requestedBy.userName },
      ...(messageTs === undefined ? {} : { message: messageTs }),
    },
  }));

/**
 * The contract between bot and worker: what the bot puts on the queue and the worker takes off.
 * Both sides parse it, so a job from an older or newer bot fails loudly instead of half-working.
 */
export const deployRequestSchema = z.union([currentDeployRequestSchema, previousSchema]);
