import { z } from 'zod';
import { chatUserSchema } from './chat-address.js';
import { environmentName, serviceName } from './names.js';
import { STAGES } from './stages.js';

export const DEPLOY_RESULTS = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type DeployResult = (typeof DEPLOY_RESULTS)[number];

/**
 * One deploy or rollback as the history keeps it, long after helm has forgotten its revision:
 * written when it starts and when it ends, field by field.
 */
export const deployRecordSchema = z.object({
  jobId: z.string().min(1).max(200),
  kind: z.enum(['deploy', 'rollback']),
  service: serviceName,
  environment: environmentName,
  ref: z.string().min(1).max(200),
  requestedBy: chatUserSchema,
  requestedAt: z.iso.datetime(),
  result: z.enum(DEPLOY_RESULTS),
  startedAt: z.iso.datetime().optional(),
  finishedAt: z.iso.datetime().optional(),
  /** The last stage it reached: the one that failed, was cancelled, or the last that ran. */
  stage: z.enum(STAGES).optional(),
  reason: z.string().max(2000).optional(),
  commit: z.string().max(200).optional(),
  digest: z.string().max(200).optional(),
  /** repository:tag deployed. */
  image: z.string().max(500).optional(),
  /** The helm revision it made, and the one deployed before it. */
  revision: z.number().int().optional(),
  previousRevision: z.number().int().optional(),
  /** For a rollback: the revision it went back to. */
  restoredRevision: z.number().int().optional(),
  /** The release went back to this revision when the deploy failed or was cancelled. */
  rolledBackToRevision: z.number().int().optional(),
  cancelledBy: chatUserSchema.optional(),
  /** Its message in chat, for a link. */
  message: z.strictObject({ channel: z.string().min(1), id: z.string().min(1) }).optional(),
});

export type DeployRecord = z.infer<typeof deployRecordSchema>;

/** What one writer knows: the key fields and whichever others it has. */
export type DeployRecordUpdate = Pick<DeployRecord, 'jobId' | 'service' | 'environment'> &
  Partial<DeployRecord>;

/** How long it took, when it has ended. */
export function recordDurationMs(record: DeployRecord): number | undefined {
  if (record.finishedAt === undefined) return undefined;
  const start = record.startedAt ?? record.requestedAt;
  return Date.parse(record.finishedAt) - Date.parse(start);
}
