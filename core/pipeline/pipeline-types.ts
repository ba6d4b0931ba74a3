import type { EnvironmentConfig, RegistryConfig, ServiceConfig } from '../domain/catalog.js';
import type { DeployError } from '../domain/deploy-error.js';
import type { DeployRequest } from '../domain/deploy-request.js';
import type { StageName } from '../domain/stages.js';
import type { ServiceAddress } from '../ports/cluster.js';

/** What the stages find out and hand on, in the order they run. */
export interface DeployOutcome {
  sourceDir?: string;
  /** The commit deployed, or for a plain directory a digest of its files. */
  commit?: string;
  imageRepository?: string;
  imageTag?: string;
  digest?: string;
  revision?: number;
  previousRevision?: number;
  rolledBackTo?: number;
  address?: ServiceAddress;
}

export interface StageContext {
  request: DeployRequest;
  service: ServiceConfig;
  environment: EnvironmentConfig;
  registry: RegistryConfig;
  /** A directory of this deploy's own, removed when it ends. */
  workDir: string;
  /** The environment programs run with (PATH, HOME, CI): no secrets. */
  programEnv: Record<string, string>;
  signal: AbortSignal;
  /** One line of the stage's output: kept (bounded), scrubbed of secrets, and logged. */
  log: (line: string) => void;
  outcome: DeployOutcome;
}

export interface PipelineStage {
  name: StageName;
  timeoutMs: number;
  /** Does the stage's one job; may return a short summary for the checklist ("3 tests passed"). */
  run(context: StageContext): Promise<string | undefined>;
}

export type PipelineEvent =
  | { type: 'stage-started'; stage: StageName; at: Date }
  | { type: 'stage-finished'; stage: StageName; at: Date; summary?: string }
  | { type: 'stage-failed'; stage: StageName; at: Date; error: DeployError; log: string };

export type PipelineResult =
  | { ok: true; outcome: DeployOutcome }
  | { ok: false; stage: StageName; error: DeployError; log: string; outcome: DeployOutcome };
