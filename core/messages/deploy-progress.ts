import type { DeployRequest } from '../domain/deploy-request.js';
import { STAGES, STAGE_TITLES, type StageName } from '../domain/stages.js';
import { deployTitle } from './deploy-messages.js';
import {
  SLACK_LIMITS,
  context,
  escapeMrkdwn,
  mentionUser,
  mentionUserGroup,
  section,
  truncate,
  type SlackMessage,
} from './slack-message.js';

export type StageState = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface StageProgress {
  state: StageState;
  startedAt?: Date;
  endedAt?: Date;
}

/** Another deploy, as a note names it. */
export type DeployRef = Pick<DeployRequest, 'service' | 'ref' | 'environment'>;

/** A line under the checklist saying why the deploy is not simply running. */
export type ProgressNote =
  | { kind: 'waiting-behind'; deploy: DeployRef; requestedBy?: string }
  | { kind: 'resumed-after-restart' }
  | { kind: 'retrying'; stage: StageName; attempt: number; reason: string }
  | { kind: 'text'; text: string };

export interface DeployFailure {
  stage: StageName;
  /** What went wrong, for a person: one or two sentences. */
  reason: string;
  /** helm rolled the release back to this revision. */
  rolledBackToRevision?: number;
}

/** Everything the progress message shows: the worker's view of one deploy. */
export interface DeployProgress {
  request: Pick<DeployRequest, 'service' | 'ref' | 'environment' | 'requestedBy' | 'id'>;
  stages: Record<StageName, StageProgress>;
  /** The commit the ref resolved to. */
  commit?: string;
  /** The pushed image's digest, `sha256:…`. */
  digest?: string;
  /** Where the service answers once deployed. */
  address?: string;
  notes: ProgressNote[];
  startedAt?: Date;
  /** Set when the deploy is over: it succeeded unless there is a failure. */
  finishedAt?: Date;
  failure?: DeployFailure;
}

export function initialProgress(request: DeployProgress['request']): DeployProgress {
  const stages = Object.fromEntries(STAGES.map((name) => [name, { state: 'pending' }])) as Record<
    StageName,
    StageProgress
  >;
  return { request, stages, notes: [] };
}

/** 850ms → "0.9s", 12.34 s → "12.3s", 125 s → "2m 05s", 3725 s → "1h 02m". */
export function formatDuration(ms: number): string {
  const safe = Math.max(0, ms);
  if (safe < 60_000) return `${(Math.round(safe / 100) / 10).toFixed(1)}s`;
  const seconds = Math.round(safe / 1000);
  if (seconds < 3600) {
    return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
  }
  const minutes = Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** A commit as people write it: the first 7 characters of a SHA, other refs as they are. */
export function shortCommit(commit: string): string {
  return /^[0-9a-f]{40}([0-9a-f]{24})?$/i.test(commit) ? commit.slice(0, 7) : commit;
}

/** User text inside a code span: escaped, no backticks to break out of it, not endless. */
function code(text: string, limit = 80): string {
  return `\`${escapeMrkdwn(truncate(text.replace(/`/g, "'"), limit))}\``;
}

/** A URL as a link; the label is the URL itself. Escaped so it cannot become another token. */
function link(url: string): string {
  const safe = escapeMrkdwn(truncate(url.replace(/\|/g, '%7C'), 500));
  return `<${safe}>`;
}

const STATE_ICON: Record<StageState, string> = {
  pending: ':white_circle:',
  running: ':arrows_counterclockwise:',
  done: ':white_check_mark:',
  failed: ':x:',
  skipped: ':heavy_minus_sign:',
};

function stageDuration(stage: StageProgress): string | undefined {
  if (stage.startedAt === undefined || stage.endedAt === undefined) return undefined;
  return formatDuration(stage.endedAt.getTime() - stage.startedAt.getTime());
}

function stageLine(name: StageName, stage: StageProgress): string {
  const title = STAGE_TITLES[name];
  const duration = stageDuration(stage);
  switch (stage.state) {
    case 'pending':
      return `${STATE_ICON.pending} ${title}`;
    case 'running':
      return `${STATE_ICON.running} *${title}* · running…`;
    case 'done':
      return `${STATE_ICON.done} ${title}${duration === undefined ? '' : ` · ${duration}`}`;
    case 'failed':
      return `${STATE_ICON.failed} *${title}* · failed${duration === undefined ? '' : ` after ${duration}`}`;
    case 'skipped':
      return `${STATE_ICON.skipped} ${title} · skipped`;
  }
}

function noteLine(note: ProgressNote): string {
  switch (note.kind) {
    case 'waiting-behind': {
      const who = note.requestedBy === undefined ? '' : ` by ${mentionUser(note.requestedBy)}`;
      return `:hourglass_flowing_sand: Waiting behind ${deployTitle(note.deploy)}${who}`;
    }
    case 'resumed-after-restart':
      return ':recycle: Resumed after a worker restart';
    case 'retrying':
      return `:repeat: Retrying ${STAGE_TITLES[note.stage]} (attempt ${note.attempt}): ${escapeMrkdwn(truncate(note.reason, 300))}`;
    case 'text':
      return escapeMrkdwn(truncate(note.text, 300));
  }
}

function totalTime(progress: DeployProgress): string | undefined {
  if (progress.startedAt === undefined || progress.finishedAt === undefined) return undefined;
  return formatDuration(progress.finishedAt.getTime() - progress.startedAt.getTime());
}

function headline(progress: DeployProgress): string {
  const title = deployTitle(progress.request);
  if (progress.failure !== undefined) return `:x: Deploy of ${title} failed`;
  if (progress.finishedAt !== undefined) return `:white_check_mark: Deployed ${title}`;
  const started = STAGES.some((name) => progress.stages[name].state !== 'pending');
  return started ? `:rocket: Deploying ${title}` : `:hourglass_flowing_sand: Starting ${title}`;
}

function metaLine(progress: DeployProgress): string {
  const parts = [
    `Requested by ${mentionUser(progress.request.requestedBy.userId)}`,
    `ref ${code(progress.request.ref)}`,
  ];
  if (progress.commit !== undefined) parts.push(`commit ${code(shortCommit(progress.commit))}`);
  return parts.join(' · ');
}

/** The ending, once there is one: what a person needs next. */
function endingLines(progress: DeployProgress): string[] {
  const total = totalTime(progress);
  if (progress.failure !== undefined) {
    const failure = progress.failure;
    const after = total === undefined ? '' : ` after ${total}`;
    const lines = [
      `*Failed at ${STAGE_TITLES[failure.stage]}*${after}: ${escapeMrkdwn(truncate(failure.reason, 1500))}`,
    ];
    if (failure.rolledBackToRevision !== undefined) {
      lines.push(
        `:leftwards_arrow_with_hook: Rolled back to revision ${failure.rolledBackToRevision}.`,
      );
    }
    return lines;
  }
  if (progress.finishedAt === undefined) return [];
  const lines = [`*Live*${total === undefined ? '' : ` in ${total}`}`];
  if (progress.address !== undefined) lines.push(`Address: ${link(progress.address)}`);
  if (progress.digest !== undefined) lines.push(`Image: ${code(progress.digest, 100)}`);
  return lines;
}

function plainSummary(progress: DeployProgress): string {
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
export function progressMessage(progress: DeployProgress): SlackMessage {
  const checklist = STAGES.map((name) => stageLine(name, progress.stages[name])).join('\n');
  const notes = progress.notes.slice(-SLACK_LIMITS.contextElements).map(noteLine);
  const ending = endingLines(progress);
  return {
    text: plainSummary(progress),
    blocks: [
      section(headline(progress)),
      context(metaLine(progress)),
      section(checklist),
      ...(notes.length > 0 ? [context(notes.join('\n'))] : []),
      ...(ending.length > 0 ? [section(ending.join('\n'))] : []),
    ],
  };
}

/** A log too long for the thread goes as a file; this is how much of it (the end) is kept. */
export const LOG_FILE_MAX_CHARS = 1_000_000;

export interface LogTail {
  /** The thread reply: the last lines of the log in a code block, within one section. */
  message: SlackMessage;
  /** The whole log (up to LOG_FILE_MAX_CHARS, its end), when the reply could not hold it. */
  file?: { filename: string; title: string; content: string };
}

/** Keeps a log inside a code block: no fence of its own closes it early. */
function fenceSafe(line: string): string {
  return escapeMrkdwn(line.replace(/```/g, "'''"));
}

/**
 * The thread reply under a failed deploy: the end of the failing stage's log, in a code block
 * within Slack's 3,000 characters, and the whole log as a file (`hello-world-test.log`) when
 * it does not fit.
 */
export function logTailMessage(input: { service: string; stage: StageName; log: string }): LogTail {
  const filename = `${input.service}-${input.stage}.log`;
  const lines = input.log.replace(/\s+$/, '').split('\n');
  const title = STAGE_TITLES[input.stage];
  const budget = SLACK_LIMITS.sectionText - 200;
  const kept: string[] = [];
  let used = 0;
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    const line = fenceSafe(truncate(lines[index] ?? '', 500));
    if (used + line.length + 1 > budget) break;
    kept.unshift(line);
    used += line.length + 1;
  }
  const whole = kept.length === lines.length && !lines.some((line) => line.length > 500);
  const empty = input.log.trim() === '';
  const heading = empty
    ? `*${title}* wrote nothing to its log.`
    : whole
      ? `*${title}* log:`
      : `Last ${kept.length} of ${lines.length} lines of the *${title}* log; the whole log is in ${code(filename)}:`;
  const body = empty ? heading : `${heading}\n\`\`\`\n${kept.join('\n')}\n\`\`\``;
  const message: SlackMessage = {
    text: `${title} log of ${input.service}`,
    blocks: [section(body)],
  };
  if (whole || empty) return { message };
  const content =
    input.log.length > LOG_FILE_MAX_CHARS
      ? `…(first ${input.log.length - LOG_FILE_MAX_CHARS} characters left out)\n${input.log.slice(-LOG_FILE_MAX_CHARS)}`
      : input.log;
  return { message, file: { filename, title: `${title} log of ${input.service}`, content } };
}

export interface FailureMentions {
  users: readonly string[];
  userGroups: readonly string[];
}

/** The message in the catalog's failure channel: who should look, what failed, where to see it. */
export function failureNotification(input: {
  progress: DeployProgress;
  mention: FailureMentions;
  /** Where the deploy's own message is. */
  channelId: string;
  /** A link to that message, when the chat could give one. */
  permalink?: string;
}): SlackMessage {
  const { progress } = input;
  const who = [
    ...input.mention.users.map(mentionUser),
    ...input.mention.userGroups.map(mentionUserGroup),
  ];
  const failure = progress.failure;
  const where = failure === undefined ? '' : ` at *${STAGE_TITLES[failure.stage]}*`;
  const reason = failure === undefined ? '' : `: ${escapeMrkdwn(truncate(failure.reason, 1500))}`;
  const rolledBack =
    failure?.rolledBackToRevision === undefined
      ? ''
      : ` Rolled back to revision ${failure.rolledBackToRevision}.`;
  const first = `${who.length > 0 ? `${who.join(' ')} ` : ''}:x: Deploy of ${deployTitle(progress.request)} failed${where}${reason}${rolledBack}`;
  const view =
    input.permalink === undefined
      ? `in <#${input.channelId}>`
      : `in <#${input.channelId}> · <${escapeMrkdwn(input.permalink)}|view the deploy>`;
  const { service, ref, environment } = progress.request;
  return {
    text: `Deploy of ${service}@${ref} → ${environment} failed${failure === undefined ? '' : ` at ${STAGE_TITLES[failure.stage]}`}`,
    blocks: [
      section(first),
      context(`Requested by ${mentionUser(progress.request.requestedBy.userId)} ${view}`),
    ],
  };
}
