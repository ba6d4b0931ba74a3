import { z } from 'zod';
import { chatUserSchema } from './chat-address.js';
import { environmentName, serviceName } from './names.js';

/** Everything the audit log records: who asked for what, and how it ended. */
export const AUDIT_ACTIONS = [
  'deploy-requested',
  'deploy-finished',
  'rollback-requested',
  'rollback-finished',
  'cancel',
  'lock',
  'unlock',
  'refused',
  'release-recovered',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const auditEntrySchema = z.strictObject({
  at: z.iso.datetime(),
  action: z.enum(AUDIT_ACTIONS),
  /** Who did it: for a deploy's end, whoever asked for the deploy. */
  actor: chatUserSchema,
  service: serviceName.optional(),
  environment: environmentName.optional(),
  jobId: z.string().min(1).max(200).optional(),
  /** What happened, for a person: "succeeded", "failed at Build image: …", "NOT_AUTHORISED". */
  detail: z.string().max(2000).optional(),
});

export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** Whose entries, or which service's: what the audit log is queried by. */
export type AuditSubject = { service: string } | { person: string };
