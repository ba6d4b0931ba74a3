import { createHash } from 'node:crypto';
import type { DeployRequest } from './deploy-request.js';
import { refIdentity } from './ref-policy.js';

/** How long the same deploy by the same person in the same channel counts as a double submit. */
export const DOUBLE_SUBMIT_WINDOW_SECONDS = 30;

/** How long a request id (Slack's trigger id) is remembered, to absorb Slack's retries. */
export const REQUEST_ID_MEMORY_SECONDS = 24 * 3600;

/**
 * The key two submissions of one deploy share: who, where, what. Two different people, channels,
 * refs or environments are different deploys; `main` and `refs/heads/main` are one ref.
 */
export function doubleSubmitKey(request: DeployRequest): string {
  const parts = [
    request.origin.user.id,
    request.origin.channel,
    request.service,
    refIdentity(request.ref),
    request.environment,
  ];
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);
}

/** A BullMQ-safe job id from Slack's trigger id (BullMQ refuses ':' and all-digit ids). */
export function requestIdFromTrigger(triggerId: string): string {
  return `deploy-${triggerId.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}
