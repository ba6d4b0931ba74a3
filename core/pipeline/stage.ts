import type { EnvironmentConfig, RegistryConfig, ServiceConfig } from '../domain/catalog.js';
import type { DeployError } from '../domain/deploy-error.js';
import type { ProgressNote } from '../domain/deploy-progress.js';
import type { DeployRequest } from '../domain/deploy-request.js';
import type { StageName } from '../domain/stages.js';
import type { ServiceAddress } from '../ports/cluster.js';

/** Source: the tree the deploy works on, and what it is. */
export interface SourceTree {
  dir: string;
  /** The commit, or for a plain directory `src-` and a digest of its build context. */
  commit: string;
  /** An image of this source that passed the gate and is still in the registry: used as it is. */
  reusable?: TestedImage;
}

/** An image in the registry whose source passed the test gate, and when. */
export interface TestedImage {
  repository: string;
  tag: string;
  /** The registry's content digest of it, `sha256:…`. */
  digest: string;
  /** When its test gate passed (ISO 8601). */
  testedAt: string;
}

/** Build: the image, tagged immutably. */
export interface BuiltImage {
  repository: string;
  tag: string;
  /** Not built: an image that passed the gate before, already in the registry. */
  reused?: TestedImage;
}

/** Push: the registry's content digest of the image. */
export interface PushedImage {
  digest: string;
  /** What was pushed, repository:tag. */
  reference: string;
}

/** Deploy: the Helm revision made, and the one deployed before (to roll back to). */
export interface HelmRevision {
  revision: number;
  previousRevision?: number;
  /** A rollback: the revision it went back to, and that revision's image (repository:tag). */
  restoredRevision?: number;
  image?: string;
}

/** What each stage hands on when it succeeds. */
export interface StageOutputs {
  source: SourceTree;
  /** The test gate passed. */
  test: {
    passed: true;
    /** When (ISO 8601); absent when an earlier deploy's pass was reused. */ passedAt?: string;
  };
  build: BuiltImage;
  push: PushedImage;
  deploy: HelmRevision;
  /** How the rollout ended, e.g. "2/2 ready". */
  verify: { rollout: string };
  /** Where the service answers, when it has a Service or an Ingress. */
  report: { address?: ServiceAddress };
}

/** What every stage may read: the deploy, its catalog entries, and the runner's controls. */
export interface StageContext {
  request: DeployRequest;
  service: ServiceConfig;
  environment: EnvironmentConfig;
  registry: RegistryConfig;
  /** A directory of this deploy's own, removed when it ends. */
  workDir: string;
  /** The environment programs run with (PATH, HOME, CI): no secrets. */
  programEnv: Record<string, string>;
  /** The stage's time limit, for the tools it hands one to. */
  timeoutMs: number;
  /** Aborted when the stage must stop: its time limit, or (unless it finishes on cancel) a cancel. */
  signal: AbortSignal;
  /** Aborted when the deploy is cancelled: what a stage that finishes on cancel looks at. */
  cancelSignal: AbortSignal;
  /** One line of the stage's output: kept (bounded), scrubbed of secrets, and logged. */
  log: (line: string) => void;
}

export interface StageDone<N extends StageName> {
  output: StageOutputs[N];
  /** A short line for the log ("3 tests passed"). */
  summary?: string;
  /** A line the deploy's message shows under its checklist. */
  note?: ProgressNote;
}

/**
 * How one stage runs. `needs` names the stages it takes outputs from or must follow (the test
 * gate before a release changes); they hand it those outputs, typed, and nothing else.
 */
export interface Stage<N extends StageName = StageName, Needs extends StageName = StageName> {
  readonly name: N;
  readonly needs: readonly Needs[];
  /** The runner's hard limit for the stage given its time limit; the limit itself when absent. */
  limitMs?(timeoutMs: number): number;
  /**
   * A cancel does not stop the stage: it reads `cancelSignal` and ends in its own time, e.g. a
   * helm upgrade is let finish and then undone, so that no release is left pending.
   */
  readonly finishesOnCancel?: boolean;
  run(context: StageContext, inputs: Pick<StageOutputs, Needs>): Promise<StageDone<N>>;
  /** What it would hand on without running, when its inputs say its work is already done. */
  skip?(inputs: Pick<StageOutputs, Needs>): StageDone<N> | undefined;
  /**
   * Undoes what it left behind when the deploy failed before any stage that needs it ran, e.g.
   * an image pushed alongside a test gate that then failed. Failures are only logged.
   */
  discard?(context: StageContext, output: StageOutputs[N]): Promise<void>;
}

export type PipelineEvent =
  | { type: 'stage-started'; stage: StageName; at: Date }
  | { type: 'stage-finished'; stage: StageName; at: Date; summary?: string; note?: ProgressNote }
  /** Not run: its work was already done (`summary` says how). */
  | { type: 'stage-skipped'; stage: StageName; at: Date; summary?: string; note?: ProgressNote }
  /** Stopped unfinished because a stage running alongside it failed or the deploy was cancelled. */
  | { type: 'stage-stopped'; stage: StageName; at: Date }
  | { type: 'stage-failed'; stage: StageName; at: Date; error: DeployError; log: string };

/** What the stages that ran handed on, and how the pipeline ended. */
export type PipelineResult =
  | { ok: true; outputs: Partial<StageOutputs> }
  | {
      ok: false;
      stage: StageName;
      error: DeployError;
      log: string;
      outputs: Partial<StageOutputs>;
    };
