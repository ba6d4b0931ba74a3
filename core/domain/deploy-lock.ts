import { z } from 'zod';
import { chatUserSchema } from './chat-address.js';
import { environmentName, serviceName } from './names.js';

/** A service in an environment, as locks, history and rollbacks name it. */
export interface ServiceTarget {
  service: string;
  environment: string;
}

/**
 * "Not now": nobody but its holder deploys the service to the environment until it is unlocked.
 * Stored as this JSON, read back through the schema.
 */
export const deployLockSchema = z.strictObject({
  service: serviceName,
  environment: environmentName,
  by: chatUserSchema,
  reason: z.string().min(1).max(300),
  lockedAt: z.iso.datetime(),
  /** Where it was locked: the reminder is posted there, mentioning the holder. */
  channel: z.string().min(1).max(64),
  /** The chat workspace it was locked in: which surface (Slack or the console) reminds. */
  workspace: z.string().min(1).max(64).optional(),
});

export type DeployLock = z.infer<typeof deployLockSchema>;

/** Only the holder deploys through a lock. */
export function lockLetsThrough(lock: Pick<DeployLock, 'by'>, userId: string): boolean {
  return lock.by.id === userId;
}

/** `staging/hello-world`: one key per service and environment. */
export function targetKey(target: ServiceTarget): string {
  return `${target.environment}/${target.service}`;
}
