import type { ChatUser } from './chat-address.js';
import type { DeployRequest } from './deploy-request.js';
import { STAGES, type StageName } from './stages.js';

export type StageState = 'pending' | 'running' | 'done' | 'failed' | 'skipped' | 'cancelled';

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
  /** Test gate, build and push skipped: this image passed the gate at `testedAt` (ISO 8601). */
  | { kind: 'reused-image'; image: string; testedAt: string }
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
  request: Pick<DeployRequest, 'service' | 'ref' | 'environment' | 'id' | 'kind' | 'revision'> & {
    requestedBy: ChatUser;
  };
  stages: Record<StageName, StageProgress>;
  /** The commit the ref resolved to. */
  commit?: string;
  /** The pushed image's digest, `sha256:…`. */
  digest?: string;
  /** Where the service answers once deployed. */
  address?: string;
  /** The image deployed (repository:tag): for a rollback, the one it went back to. */
  image?: string;
  /** The helm revision made, and for a rollback the revision it restored. */
  revision?: number;
  restoredRevision?: number;
  notes: ProgressNote[];
  startedAt?: Date;
  /** Set when the deploy is over: it succeeded unless there is a failure. */
  finishedAt?: Date;
  failure?: DeployFailure;
  /** Set when someone cancelled it: who, and the stage it stopped at (none: before it began). */
  cancelled?: DeployCancellation;
}

export interface DeployCancellation {
  by: ChatUser;
  stage?: StageName;
  /** The helm upgrade had run: the release went back to this revision. */
  rolledBackToRevision?: number;
  /** It was a first install: the release was removed again. */
  uninstalled?: boolean;
}

/** What happens to a deploy, as its progress records it. */
export type ProgressEvent =
  | { type: 'stage-started'; stage: StageName }
  | { type: 'stage-finished'; stage: StageName }
  | { type: 'stage-skipped'; stage: StageName }
  /** Stopped unfinished: a stage running alongside it failed, or the deploy was cancelled. */
  | { type: 'stage-stopped'; stage: StageName }
  | { type: 'stage-failed'; stage: StageName }
  | {
      type: 'details';
      commit?: string;
      digest?: string;
      address?: string;
      image?: string;
      revision?: number;
      restoredRevision?: number;
    }
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
    }
  | ({ type: 'cancelled' } & DeployCancellation);

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
    case 'stage-stopped':
      return withStage(progress, event.stage, {
        state: 'cancelled',
        startedAt: stage?.startedAt ?? at,
        endedAt: at,
      });
    case 'details': {
      const details: Record<string, unknown> = { ...event };
      delete details.type;
      const known = Object.entries(details).filter(([, value]) => value !== undefined);
      return { ...progress, ...Object.fromEntries(known) };
    }
    case 'note':
      return { ...progress, notes: [...progress.notes, event.note] };
    case 'clear-notes':
      return { ...progress, notes: [] };
  }
}

/**
 * The stage it ended at failed (or was cancelled), those not reached are skipped, and one still
 * running ended the same way.
 */
function endedStages(
  progress: DeployProgress,
  at: Date,
  ended: { stage?: StageName; state: 'failed' | 'cancelled' },
) {
  const stages = { ...progress.stages };
  for (const name of STAGES) {
    const stage = stages[name];
    if (name === ended.stage) {
      stages[name] = {
        state: ended.state,
        startedAt: stage.startedAt ?? at,
        endedAt: stage.endedAt ?? at,
      };
    } else if (stage.state === 'pending') {
      stages[name] = { state: 'skipped' };
    } else if (stage.state === 'running') {
      stages[name] = { ...stage, state: ended.state, endedAt: stage.endedAt ?? at };
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
  if (outcome.type === 'cancelled') {
    const cancelled: DeployCancellation = { by: outcome.by };
    if (outcome.stage !== undefined) cancelled.stage = outcome.stage;
    if (outcome.rolledBackToRevision !== undefined)
      cancelled.rolledBackToRevision = outcome.rolledBackToRevision;
    if (outcome.uninstalled !== undefined) cancelled.uninstalled = outcome.uninstalled;
    const stages = endedStages(progress, at, {
      ...(outcome.stage === undefined ? {} : { stage: outcome.stage }),
      state: 'cancelled',
    });
    return { ...ended, stages, cancelled };
  }
  if (outcome.type === 'succeeded') {
    return {
      ...ended,
      ...(outcome.address === undefined ? {} : { address: outcome.address }),
      ...(outcome.digest === undefined ? {} : { digest: outcome.digest }),
    };
  }
  return {
    ...ended,
    stages: endedStages(progress, at, { stage: outcome.stage, state: 'failed' }),
    failure: {
      stage: outcome.stage,
      reason: outcome.reason,
      ...(outcome.rolledBackToRevision === undefined
        ? {}
        : { rolledBackToRevision: outcome.rolledBackToRevision }),
    },
  };
}
