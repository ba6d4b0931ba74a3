import type { RedisClient } from './redis-connection.js';
import { auditEntrySchema, type AuditEntry, type AuditSubject } from '../domain/audit-entry.js';
import type { AuditLog } from '../ports/audit-log.js';
import { keyPrefix, parseStored } from './redis-keys.js';
import { runScript } from './redis-script.js';

export interface RedisAuditLogOptions {
  connection: RedisClient;
  /** The installation's name in Redis (its queue's name). */
  namespace: string;
  /** How long entries are kept; older ones are trimmed as new ones are written. */
  retentionMs: number;
  now?: () => number;
}

/** One entry (ARGV[2]) to every stream in KEYS at once, each trimmed before ARGV[1]. */
const APPEND = `
for _, stream in ipairs(KEYS) do
  redis.call('XADD', stream, 'MINID', '~', ARGV[1], '*', 'entry', ARGV[2])
end
return 1
`;

/**
 * The audit log as Redis streams: every entry in one stream, and again in one per service and
 * one per person so that either question reads only its own entries. Each XADD trims entries
 * older than the retention (MINID, approximately: whole nodes at a time).
 */
export class RedisAuditLog implements AuditLog {
  private readonly prefix: string;

  constructor(private readonly options: RedisAuditLogOptions) {
    this.prefix = keyPrefix(options.namespace);
  }

  async append(entry: AuditEntry): Promise<void> {
    const value = JSON.stringify(auditEntrySchema.parse(entry));
    const now = (this.options.now ?? Date.now)();
    const minId = String(Math.max(0, now - this.options.retentionMs));
    const streams = [
      `${this.prefix}audit`,
      this.key({ person: entry.actor.id }),
      ...(entry.service === undefined ? [] : [this.key({ service: entry.service })]),
    ];
    await runScript(this.options.connection, APPEND, streams, [minId, value]);
  }

  async query(subject: AuditSubject, limit: number): Promise<AuditEntry[]> {
    const rows = await this.options.connection.xrevrange(
      this.key(subject),
      '+',
      '-',
      'COUNT',
      limit,
    );
    return rows.flatMap(([, fields]) => {
      const index = fields.indexOf('entry');
      const parsed = auditEntrySchema.safeParse(parseStored(fields[index + 1] ?? null));
      return index >= 0 && parsed.success ? [parsed.data] : [];
    });
  }

  private key(subject: AuditSubject): string {
    return 'service' in subject
      ? `${this.prefix}audit:service:${subject.service}`
      : `${this.prefix}audit:person:${subject.person}`;
  }
}
