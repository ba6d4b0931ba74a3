import type { AuditEntry, AuditSubject } from '../domain/audit-entry.js';
import type { HistoryEntry } from '../domain/brake-outcomes.js';
import type { ServiceTarget } from '../domain/deploy-lock.js';
import { recordDurationMs, type DeployRecord, type DeployResult } from '../domain/deploy-record.js';
import { formatDuration } from '../domain/duration.js';
import { ROLLBACK_TITLES, STAGE_TITLES } from '../domain/stages.js';
import type { ChatMessage, Inline } from '../ports/chat-message.js';
import { shortCommit } from './deploy-progress.js';
import {
  bold,
  code,
  context,
  emoji,
  joined,
  link,
  message,
  section,
  text,
  user,
} from './inline.js';
import { lockTitle } from './lock-messages.js';
import { formatWhen } from './when.js';

const RESULT_ICON: Record<DeployResult, string> = {
  queued: 'hourglass_flowing_sand',
  running: 'arrows_counterclockwise',
  succeeded: 'white_check_mark',
  failed: 'x',
  cancelled: 'no_entry_sign',
};

function stageName(record: DeployRecord): string | undefined {
  if (record.stage === undefined) return undefined;
  return (
    (record.kind === 'rollback' ? ROLLBACK_TITLES[record.stage] : undefined) ??
    STAGE_TITLES[record.stage]
  );
}

/** "failed at Build image", "cancelled by @bob at Helm upgrade", "succeeded" */
function resultOf(record: DeployRecord): Inline[] {
  const stage = stageName(record);
  const at = stage === undefined ? '' : ` at ${stage}`;
  switch (record.result) {
    case 'failed':
      return [bold('failed'), text(at)];
    case 'cancelled':
      return [
        bold('cancelled'),
        ...(record.cancelledBy === undefined ? [] : [text(' by '), user(record.cancelledBy.id)]),
        text(at),
      ];
    case 'running':
      return [bold('running'), text(stage === undefined ? '' : ` (${stage})`)];
    default:
      return [bold(record.result), ...(stage === undefined ? [] : [text(` (reached ${stage})`)])];
  }
}

function what(record: DeployRecord): Inline[] {
  if (record.kind === 'deploy') return [code(record.ref)];
  const to = record.restoredRevision ?? undefined;
  return [text(to === undefined ? 'rollback' : `rollback to revision ${to}`)];
}

function entryBlock(entry: HistoryEntry): ChatMessage['blocks'] {
  const { record } = entry;
  const duration = recordDurationMs(record);
  const first = [
    emoji(RESULT_ICON[record.result]),
    text(' '),
    ...what(record),
    text(' by '),
    user(record.requestedBy.id),
    text(` · ${formatWhen(record.requestedAt)} · `),
    ...resultOf(record),
    ...(duration === undefined ? [] : [text(` · ${formatDuration(duration)}`)]),
  ];
  const details: Inline[][] = [];
  if (record.commit !== undefined)
    details.push([text('commit '), code(shortCommit(record.commit))]);
  if (record.digest !== undefined) details.push([text('image '), code(record.digest, 80)]);
  else if (record.image !== undefined) details.push([text('image '), code(record.image, 120)]);
  if (record.revision !== undefined) details.push([text(`revision ${record.revision}`)]);
  if (entry.link !== undefined) details.push([link(entry.link, 'message')]);
  return [section(...first), ...(details.length > 0 ? [context(...joined(details, ' · '))] : [])];
}

/** `/deploy history`: the last deploys of a service to an environment, newest first. */
export function historyMessage(
  target: ServiceTarget,
  entries: readonly HistoryEntry[],
): ChatMessage {
  const title = [text('Last deploys of '), ...lockTitle(target)];
  if (entries.length === 0) {
    return message([...title, text(': none yet.')]);
  }
  return {
    summary: [text(`Last ${entries.length} deploys of ${target.service} → ${target.environment}`)],
    blocks: [
      section(...title, text(` (newest first)`)),
      ...entries.slice(0, 20).flatMap(entryBlock),
    ],
  };
}

function auditLine(entry: AuditEntry): Inline[] {
  const target =
    entry.service === undefined
      ? []
      : [
          text(' '),
          ...lockTitle({ service: entry.service, environment: entry.environment ?? '?' }),
        ];
  return [
    text(`${formatWhen(entry.at)} · `),
    user(entry.actor.id),
    text(' '),
    bold(entry.action),
    ...target,
    ...(entry.detail === undefined ? [] : [text(`: ${entry.detail}`)]),
  ];
}

/** `/deploy audit`: the newest entries of the audit log about a service or by a person. */
export function auditMessage(subject: AuditSubject, entries: readonly AuditEntry[]): ChatMessage {
  const about = 'service' in subject ? [code(subject.service)] : [user(subject.person)];
  if (entries.length === 0)
    return message([text('The audit log has nothing about '), ...about, text('.')]);
  return {
    summary: [text(`Audit log: ${entries.length} entries`)],
    blocks: [
      section(text('Audit log about '), ...about, text(' (newest first)')),
      section(...joined(entries.slice(0, 30).map(auditLine), '\n')),
    ],
  };
}
