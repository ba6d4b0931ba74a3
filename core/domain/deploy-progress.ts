import type { ChatUser } from './chat-address.js';
import type { DeployRequest } from './deploy-request.js';
import { STAGES, type StageName } from './stages.js';

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
  request: Pick<DeployRequest, 'service' | 'ref' | 'environment' | 'id'> & {
    requestedBy: ChatUser;
  };
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

/** What happens to a deploy, as its progress records it. */
export type ProgressEvent =
  | { type: 'stage-started'; stage: StageName }
  | { type: 'stage-finished'; stage: StageName }
  | { type: 'stage-skipped'; stage: StageName }
  | { type: 'stage-failed'; stage: StageName }
  | { type: 'details'; commit?: string; digest?: string; address?: string }
  | { type: 'note'; note: ProgressNote }
  | { type: 'clear-notes' };

/** How a deploy ended. */
export type FinalOutcome =
  | { type: 'succeeded'; address?: string; digest?: string }
  | {
      type: 'failed';
      stage: StageName;
      reason: string;
      /** The failing stage's output; its tail goes in the thread, all of it as a file if long. */
      log?: string;
      rolledBackToRevision?: number;
    };

export function initialProgress(request: DeployProgress['request']): DeployProgress {
  const stages = Object.fromEntries(STAGES.map((name) => [name, { state: 'pending' }])) as Record<
    StageName,
    StageProgress
  >;
  return { request, stages, notes: [] };
}

const notWaiting = (notes: readonly ProgressNote[]) =>
  notes.filter((note) => note.kind !== 'waiting-behind');

function withStage(progress: DeployProgress, stage: StageName, value: StageProgress) {
  return { ...progress, stages: { ...progress.stages, [stage]: value } };
}

/** The progress after one event that happened at `at`. Pure: the state given is not changed. */
export function advance(progress: DeployProgress, event: ProgressEvent, at: Date): DeployProgress {
  const stage = 'stage' in event ? progress.stages[event.stage] : undefined;
  switch (event.type) {
    case 'stage-started':
      // Running means no longer waiting behind anyone.
      return {
        ...withStage(progress, event.stage, { state: 'running', startedAt: at }),
        startedAt: progress.startedAt ?? at,
        notes: notWaiting(progress.notes),
      };
    case 'stage-finished':
    case 'stage-failed':
      return withStage(progress, event.stage, {
        state: event.type === 'stage-finished' ? 'done' : 'failed',
        startedAt: stage?.startedAt ?? at,
        endedAt: at,
      });
    case 'stage-skipped':
      return withStage(progress, event.stage, { state: 'skipped' });
    case 'details':
      return {
        ...progress,
        ...(event.commit === undefined ? {} : { commit: event.commit }),
        ...(event.digest === undefined ? {} : { digest: event.digest }),
        ...(event.address === undefined ? {} : { address: event.address }),
      };
    case 'note':
      return { ...progress, notes: [...progress.notes, event.note] };
    case 'clear-notes':
      return { ...progress, notes: [] };
  }
}

/** The failing stage failed, those not reached are skipped, and one still running failed too. */
function failedStages(progress: DeployProgress, failed: StageName, at: Date) {
  const stages = { ...progress.stages };
  for (const name of STAGES) {
    const stage = stages[name];
    if (name === failed) {
      stages[name] = {
        state: 'failed',
        startedAt: stage.startedAt ?? at,
        endedAt: stage.endedAt ?? at,
      };
    } else if (stage.state === 'pending') {
      stages[name] = { state: 'skipped' };
    } else if (stage.state === 'running') {
      stages[name] = { ...stage, state: 'failed', endedAt: stage.endedAt ?? at };
    }
  }
  return stages;
}

/** The progress once the deploy has ended at `at`. Pure. */
export function conclude(
  progress: DeployProgress,
  outcome: FinalOutcome,
  at: Date,
): DeployProgress {
  const ended = {
    ...progress,
    startedAt: progress.startedAt ?? at,
    finishedAt: at,
    notes: notWaiting(progress.notes),
  };
  if (outcome.type === 'succeeded') {
    return {
      ...ended,
      ...(outcome.address === undefined ? {} : { address: outcome.address }),
      ...(outcome.digest === undefined ? {} : { digest: outcome.digest }),
    };
  }
  return {
    ...ended,
    stages: failedStages(progress, outcome.stage, at),
    failure: {
      stage: outcome.stage,
      reason: outcome.reason,
      ...(outcome.rolledBackToRevision === undefined
        ? {}
        : { rolledBackToRevision: outcome.rolledBackToRevision }),
    },
  };
}
