import type { DeployProgress } from '../domain/deploy-progress.js';
import type { DeployRequest } from '../domain/deploy-request.js';
import {
  ROLLBACK_STAGES,
  ROLLBACK_TITLES,
  STAGES,
  STAGE_TITLES,
  type StageName,
} from '../domain/stages.js';
import { truncate, type Inline } from '../ports/chat-message.js';
import { bold, code, emoji, link, text, user } from './inline.js';

type Progress = Pick<DeployProgress, 'request'>;

/** `hello-world` → *staging*: what a rollback is of. */
export function rollbackTitle(target: Pick<DeployRequest, 'service' | 'environment'>): Inline[] {
  return [code(target.service), text(' → '), bold(target.environment)];
}

export function isRollback(progress: Progress): boolean {
  return progress.request.kind === 'rollback';
}

/** The stages a deploy's checklist lists: a rollback runs only some. */
export function stagesShown(progress: Progress): readonly StageName[] {
  return isRollback(progress) ? ROLLBACK_STAGES : STAGES;
}

export function stageTitle(progress: Progress, stage: StageName): string {
  return (isRollback(progress) ? ROLLBACK_TITLES[stage] : undefined) ?? STAGE_TITLES[stage];
}

/** The headline of a rollback, or of a cancelled deploy; undefined for a deploy's own. */
export function brakeHeadline(
  progress: DeployProgress,
  deployTitle: Inline[],
): Inline[] | undefined {
  const rollback = isRollback(progress);
  const title = rollback ? rollbackTitle(progress.request) : deployTitle;
  const what = rollback ? 'Rollback of ' : 'Deploy of ';
  if (progress.cancelled !== undefined) {
    return [emoji('no_entry_sign'), text(` ${what}`), ...title, text(' cancelled')];
  }
  if (!rollback) return undefined;
  if (progress.failure !== undefined) {
    return [emoji('x'), text(' Rollback of '), ...title, text(' failed')];
  }
  if (progress.finishedAt !== undefined) {
    const to =
      progress.restoredRevision === undefined ? '' : ` to revision ${progress.restoredRevision}`;
    return [emoji('white_check_mark'), text(' Rolled back '), ...title, text(to)];
  }
  const revision = progress.request.revision;
  return [
    emoji('leftwards_arrow_with_hook'),
    text(' Rolling back '),
    ...title,
    text(
      revision === undefined ? ' to the previous successful revision' : ` to revision ${revision}`,
    ),
  ];
}

/** The stages a cancel stopped, in the list's order: two at once when it came during both. */
function stoppedAt(progress: DeployProgress): string {
  const stopped = STAGES.filter((name) => progress.stages[name].state === 'cancelled');
  const named = stopped.length > 0 ? stopped : [progress.cancelled?.stage ?? 'source'];
  const titles = named.map((name) => stageTitle(progress, name));
  const last = titles.pop() ?? '';
  return titles.length === 0 ? last : `${titles.join(', ')} and ${last}`;
}

/** How a cancelled deploy ends: who cancelled it, where, and what became of the release. */
export function cancelledLines(progress: DeployProgress): Inline[][] | undefined {
  const cancelled = progress.cancelled;
  if (cancelled === undefined) return undefined;
  const where =
    cancelled.stage === undefined ? ' before it started.' : ` at ${stoppedAt(progress)}.`;
  const lines: Inline[][] = [
    [emoji('no_entry_sign'), text(' Cancelled by '), user(cancelled.by.id), text(where)],
  ];
  if (cancelled.rolledBackToRevision !== undefined) {
    lines.push([
      emoji('leftwards_arrow_with_hook'),
      text(` The helm upgrade had run: rolled back to revision ${cancelled.rolledBackToRevision}.`),
    ]);
  }
  if (cancelled.uninstalled === true) {
    lines.push([
      emoji('wastebasket'),
      text(' The helm install had run: the release was removed again.'),
    ]);
  }
  return lines;
}

/** A successful rollback's ending: the revision and the image it went back to. */
export function rollbackLines(progress: DeployProgress, total: string | undefined): Inline[][] {
  const lines: Inline[][] = [[bold('Live'), text(total === undefined ? '' : ` in ${total}`)]];
  const revisions =
    progress.restoredRevision === undefined
      ? []
      : [
          text(
            `Back to revision ${progress.restoredRevision}${progress.revision === undefined ? '' : ` (recorded as revision ${progress.revision})`}`,
          ),
        ];
  if (revisions.length > 0) lines.push(revisions);
  if (progress.image !== undefined) lines.push([text('Image: '), code(progress.image, 300)]);
  if (progress.address !== undefined) {
    lines.push([text('Address: '), link(truncate(progress.address, 500))]);
  }
  return lines;
}

/** The one-line version of a rollback or a cancelled deploy; undefined for a deploy's own. */
export function brakeSummary(progress: DeployProgress): string | undefined {
  const { service, ref, environment } = progress.request;
  const rollback = isRollback(progress);
  const target = rollback ? `${service} → ${environment}` : `${service}@${ref} → ${environment}`;
  const what = rollback ? 'Rollback of' : 'Deploy of';
  const cancelled = progress.cancelled;
  if (cancelled !== undefined) {
    const where =
      cancelled.stage === undefined ? '' : ` at ${stageTitle(progress, cancelled.stage)}`;
    return `${what} ${target} cancelled by @${cancelled.by.name}${where}`;
  }
  if (!rollback) return undefined;
  if (progress.failure !== undefined) {
    return `Rollback of ${target} failed at ${stageTitle(progress, progress.failure.stage)}: ${truncate(progress.failure.reason, 300)}`;
  }
  if (progress.finishedAt !== undefined) {
    return `Rolled back ${target}${progress.image === undefined ? '' : ` to ${progress.image}`}`;
  }
  return `Rolling back ${target}`;
}
