import type { AuditEntry, AuditSubject } from './audit-entry.js';
import type { Deployers } from './catalog.js';
import type { ChatUser } from './chat-address.js';
import type { DeployLock, ServiceTarget } from './deploy-lock.js';
import type { DeployRecord } from './deploy-record.js';
import type { DeployRequest } from './deploy-request.js';
import type { Refusal } from './deploy-target.js';

/** The service or environment is not in the catalog, or the person may not act on it. */
export interface TargetRefused {
  kind: 'refused';
  refusal: Refusal;
  deployers?: Deployers;
}

/** What a brake needs (Redis, the user-group look-up) did not answer: nothing was done. */
export interface BrakeUnavailable {
  kind: 'brake-unavailable';
  /** What could not be done, e.g. "lock hello-world → staging". */
  what: string;
}

export type LockOutcome =
  /** `replaced`: it was already this person's; the reason is the new one. */
  { kind: 'locked'; lock: DeployLock; replaced: boolean } | { kind: 'lock-held'; lock: DeployLock };

export type UnlockOutcome =
  | { kind: 'unlocked'; lock: DeployLock; by: ChatUser; forced: boolean }
  | { kind: 'not-locked'; target: ServiceTarget }
  /** Someone else's, and not forced. */
  | { kind: 'unlock-refused'; lock: DeployLock };

export type CancelOutcome =
  /** A worker runs it: it stops within seconds, and its message says where. */
  | { kind: 'cancelling'; request: DeployRequest; jobId: string }
  /** It had not started: removed from the queue, its message ended. */
  | { kind: 'cancelled-queued'; request: DeployRequest; jobId: string }
  | { kind: 'already-ended'; request: DeployRequest; jobId: string }
  | { kind: 'unknown-deploy'; deployId: string };

export interface HistoryEntry {
  record: DeployRecord;
  /** A link to the deploy's message, when the chat gave one. */
  link?: string;
}

export type BrakeOutcome =
  | TargetRefused
  | BrakeUnavailable
  | LockOutcome
  | UnlockOutcome
  | { kind: 'locks'; locks: DeployLock[] }
  | CancelOutcome
  | { kind: 'history'; target: ServiceTarget; entries: HistoryEntry[] }
  | { kind: 'audit'; subject: AuditSubject; entries: AuditEntry[] };

/** What can come of pressing one of Harbormaster's buttons, besides what its action answers. */
export type PressOutcome =
  /** Pressed before: it acts once. */
  | { kind: 'already-pressed'; by: ChatUser; at: Date }
  /** Not one of our buttons, or a value we did not make. */
  | { kind: 'unknown-button' };
