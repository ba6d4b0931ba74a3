import type {
  DeployProgress,
  ProgressNote,
  StageProgress,
  StageState,
} from '../domain/deploy-progress.js';
import { STAGES, STAGE_TITLES } from '../domain/stages.js';
import { formatDuration } from '../domain/duration.js';
import { MESSAGE_LIMITS, truncate, type ChatMessage, type Inline } from '../ports/chat-message.js';
import {
  brakeHeadline,
  brakeSummary,
  cancelledLines,
  isRollback,
  rollbackLines,
  stageTitle,
  stagesShown,
} from './brake-progress.js';
import { progressButtons } from './deploy-buttons.js';
import { deployTitle } from './deploy-messages.js';
import { formatWhen } from './when.js';
import { bold, code, context, emoji, joined, link, section, text, user } from './inline.js';

/** A commit as people write it: the first 7 characters of a SHA, other refs as they are. */
export function shortCommit(commit: string): string {
  return /^[0-9a-f]{40}([0-9a-f]{24})?$/i.test(commit) ? commit.slice(0, 7) : commit;
}

const STATE_ICON: Record<StageState, string> = {
  pending: 'white_circle',
  running: 'arrows_counterclockwise',
  done: 'white_check_mark',
  failed: 'x',
  skipped: 'heavy_minus_sign',
  cancelled: 'no_entry_sign',
};

function stageDuration(stage: StageProgress): string | undefined {
  if (stage.startedAt === undefined || stage.endedAt === undefined) return undefined;
  return formatDuration(stage.endedAt.getTime() - stage.startedAt.getTime());
}

function stageLine(title: string, stage: StageProgress): Inline[] {
  const duration = stageDuration(stage);
  const icon = [emoji(STATE_ICON[stage.state]), text(' ')];
  switch (stage.state) {
    case 'pending':
      return [...icon, text(title)];
    case 'running':
      return [...icon, bold(title), text(' · running…')];
    case 'done':
      return [...icon, text(`${title}${duration === undefined ? '' : ` · ${duration}`}`)];
    case 'failed':
      return [
        ...icon,
        bold(title),
        text(` · failed${duration === undefined ? '' : ` after ${duration}`}`),
      ];
    case 'skipped':
      return [...icon, text(`${title} · skipped`)];
    case 'cancelled':
      return [
        ...icon,
        bold(title),
        text(` · cancelled${duration === undefined ? '' : ` after ${duration}`}`),
      ];
  }
}

function noteLine(note: ProgressNote): Inline[] {
  switch (note.kind) {
    case 'waiting-behind': {
      const who = note.requestedBy === undefined ? [] : [text(' by '), user(note.requestedBy)];
      return [
        emoji('hourglass_flowing_sand'),
        text(' Waiting behind '),
        ...deployTitle(note.deploy),
        ...who,
      ];
    }
    case 'resumed-after-restart':
      return [emoji('recycle'), text(' Resumed after a worker restart')];
    case 'retrying':
      return [
        emoji('repeat'),
        text(
          ` Retrying ${STAGE_TITLES[note.stage]} (attempt ${note.attempt}): ${truncate(note.reason, 300)}`,
        ),
      ];
    case 'reused-image':
      return [
        emoji('recycle'),
        text(' Reused image '),
        code(truncate(note.image, 300)),
        text(`, tested at ${formatWhen(note.testedAt)}`),
      ];
    case 'text':
      return [text(truncate(note.text, 300))];
  }
}

function totalTime(progress: DeployProgress): string | undefined {
  if (progress.startedAt === undefined || progress.finishedAt === undefined) return undefined;
  return formatDuration(progress.finishedAt.getTime() - progress.startedAt.getTime());
}

function headline(progress: DeployProgress): Inline[] {
  const title = deployTitle(progress.request);
  const brake = brakeHeadline(progress, title);
  if (brake !== undefined) return brake;
  if (progress.failure !== undefined)
    return [emoji('x'), text(' Deploy of '), ...title, text(' failed')];
  if (progress.finishedAt !== undefined)
    return [emoji('white_check_mark'), text(' Deployed '), ...title];
  const started = STAGES.some((name) => progress.stages[name].state !== 'pending');
  return started
    ? [emoji('rocket'), text(' Deploying '), ...title]
    : [emoji('hourglass_flowing_sand'), text(' Starting '), ...title];
}

function metaLine(progress: DeployProgress): Inline[] {
  const parts = [
    [text('Requested by '), user(progress.request.requestedBy.id)],
    ...(isRollback(progress) ? [] : [[text('ref '), code(progress.request.ref)]]),
  ];
  if (progress.commit !== undefined)
    parts.push([text('commit '), code(shortCommit(progress.commit))]);
  return joined(parts, ' · ');
}

/** The ending, once there is one: what a person needs next. */
function endingLines(progress: DeployProgress): Inline[][] {
  const total = totalTime(progress);
  const cancelled = cancelledLines(progress);
  if (cancelled !== undefined) return cancelled;
  if (progress.failure !== undefined) {
    const failure = progress.failure;
    const after = total === undefined ? '' : ` after ${total}`;
    const lines = [
      [
        bold(`Failed at ${stageTitle(progress, failure.stage)}`),
        text(`${after}: ${truncate(failure.reason, 1500)}`),
      ],
    ];
    if (failure.rolledBackToRevision !== undefined) {
      lines.push([
        emoji('leftwards_arrow_with_hook'),
        text(` Rolled back to revision ${failure.rolledBackToRevision}.`),
      ]);
    }
    return lines;
  }
  if (progress.finishedAt === undefined) return [];
  if (isRollback(progress)) return rollbackLines(progress, total);
  const lines = [[bold('Live'), text(total === undefined ? '' : ` in ${total}`)]];
  if (progress.address !== undefined)
    lines.push([text('Address: '), link(truncate(progress.address, 500))]);
  if (progress.digest !== undefined) lines.push([text('Image: '), code(progress.digest, 100)]);
  return lines;
}

function plainSummary(progress: DeployProgress): string {
  const brake = brakeSummary(progress);
  if (brake !== undefined) return brake;
  const { service, ref, environment } = progress.request;
  const target = `${service}@${ref} → ${environment}`;
  if (progress.failure !== undefined) {
    return `Deploy of ${target} failed at ${STAGE_TITLES[progress.failure.stage]}: ${truncate(progress.failure.reason, 300)}`;
  }
  if (progress.finishedAt !== undefined) {
    return `Deployed ${target}${progress.address === undefined ? '' : `: ${progress.address}`}`;
  }
  const running = STAGES.find((name) => progress.stages[name].state === 'running');
  return `Deploying ${target}${running === undefined ? '' : `: ${STAGE_TITLES[running]}`}`;
}

/** The in-channel message, updated in place as the deploy runs, and its ending when it is over. */
export function progressMessage(progress: DeployProgress): ChatMessage {
  const checklist = joined(
    stagesShown(progress).map((name) =>
      stageLine(stageTitle(progress, name), progress.stages[name]),
    ),
    '\n',
  );
  const notes = progress.notes.slice(-MESSAGE_LIMITS.contextElements).map(noteLine);
  const ending = endingLines(progress);
  return {
    summary: [text(plainSummary(progress))],
    blocks: [
      section(...headline(progress)),
      context(...metaLine(progress)),
      section(...checklist),
      ...(notes.length > 0 ? [context(...joined(notes, '\n'))] : []),
      ...(ending.length > 0 ? [section(...joined(ending, '\n'))] : []),
      ...progressButtons(progress),
    ],
  };
}
