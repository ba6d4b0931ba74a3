import type { AuditSubject } from '../domain/audit-entry.js';
import type {
  BrakeUnavailable,
  BrakeOutcome,
  HistoryEntry,
  TargetRefused,
} from '../domain/brake-outcomes.js';
import type { DeployRecord } from '../domain/deploy-record.js';
import type { Chat } from '../ports/chat.js';
import { resolveTarget } from './brake-support.js';
import type { CommandDependencies } from './command-dependencies.js';
import { withDeadline } from './deadline.js';

/** How many deploys `/deploy history` shows, and audit entries `/deploy audit`. */
export const HISTORY_SHOWN = 10;
export const AUDIT_SHOWN = 20;
/** Links are a nicety: those not back within this are left out, the answer is not held up. */
const LINK_BUDGET_MS = 1500;

async function linkOf(record: DeployRecord, chat: Chat): Promise<HistoryEntry> {
  if (record.message === undefined) return { record };
  try {
    const link = await withDeadline(
      chat.permalink(record.message),
      LINK_BUDGET_MS,
      'TIMEOUT',
      'the permalink',
    );
    return { record, link };
  } catch {
    return { record };
  }
}

/** `/deploy history <service> [environment]`: the last deploys and rollbacks, each linked to its message. */
export async function deployHistory(
  command: { service: string; environment?: string },
  deps: Pick<CommandDependencies, 'catalog' | 'history' | 'chat' | 'logger'>,
): Promise<Extract<BrakeOutcome, { kind: 'history' }> | TargetRefused | BrakeUnavailable> {
  const resolved = resolveTarget(deps.catalog, command);
  if (!('ok' in resolved)) return resolved;
  const { target } = resolved;
  try {
    const records = await deps.history.list(target, HISTORY_SHOWN);
    const entries = await Promise.all(records.map((record) => linkOf(record, deps.chat)));
    return { kind: 'history', target, entries };
  } catch (error) {
    deps.logger.error({ err: error }, 'history could not be read');
    return { kind: 'brake-unavailable', what: `read the history of ${target.service}` };
  }
}

/** `/deploy audit <service>` or `/deploy audit @person`: the newest entries of the audit log. */
export async function auditQuery(
  subject: AuditSubject,
  deps: Pick<CommandDependencies, 'catalog' | 'audit' | 'logger'>,
): Promise<Extract<BrakeOutcome, { kind: 'audit' }> | TargetRefused | BrakeUnavailable> {
  if ('service' in subject) {
    const resolved = resolveTarget(deps.catalog, { service: subject.service });
    if (!('ok' in resolved)) return resolved;
  }
  try {
    return { kind: 'audit', subject, entries: await deps.audit.query(subject, AUDIT_SHOWN) };
  } catch (error) {
    deps.logger.error({ err: error }, 'audit log could not be read');
    return { kind: 'brake-unavailable', what: 'read the audit log' };
  }
}
