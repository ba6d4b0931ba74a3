import type { AuditEntry, AuditSubject } from '../domain/audit-entry.js';

export type { AuditEntry, AuditSubject } from '../domain/audit-entry.js';

/** The durable record of who deployed, rolled back, cancelled, locked, unlocked or was refused. */
export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  /** The newest entries about a service or by a person, newest first. */
  query(subject: AuditSubject, limit: number): Promise<AuditEntry[]>;
}
