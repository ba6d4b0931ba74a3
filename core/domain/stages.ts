import type { ErrorCode } from './deploy-error.js';

const MINUTE = 60_000;

/** What is said of a stage everywhere: its name, the title people read, how it fails, its time. */
interface StageFacts {
  name: string;
  title: string;
  /** The code a failure of the stage gets when nothing more specific explains it. */
  failure: ErrorCode;
  /** Its time limit unless the worker's settings say otherwise (the test gate's: the catalog's). */
  timeoutMs: number;
}

/**
 * The deploy's stages, each declared once, in the order they run. Names, titles, failure codes,
 * default time limits and the checklist's order all derive from this list; core/pipeline binds
 * each name to the code that runs it (stage-registry.ts).
 */
export const STAGE_LIST = [
  { name: 'source', title: 'Source', failure: 'SOURCE_FAILED', timeoutMs: 5 * MINUTE },
  { name: 'test', title: 'Test gate', failure: 'TEST_FAILED', timeoutMs: 10 * MINUTE },
  { name: 'build', title: 'Build image', failure: 'BUILD_FAILED', timeoutMs: 20 * MINUTE },
  { name: 'push', title: 'Push image', failure: 'PUSH_FAILED', timeoutMs: 10 * MINUTE },
  { name: 'deploy', title: 'Helm upgrade', failure: 'HELM_FAILED', timeoutMs: 5 * MINUTE },
  { name: 'verify', title: 'Rollout', failure: 'ROLLOUT_FAILED', timeoutMs: 10 * MINUTE },
  { name: 'report', title: 'Address', failure: 'CLUSTER_UNAVAILABLE', timeoutMs: MINUTE },
] as const satisfies readonly StageFacts[];

export type StageName = (typeof STAGE_LIST)[number]['name'];

/** The stages' names, in the order they run. */
export const STAGES: readonly StageName[] = STAGE_LIST.map((stage) => stage.name);

type ByName<T> = Readonly<Record<StageName, T>>;

function byName<T>(pick: (stage: (typeof STAGE_LIST)[number]) => T): ByName<T> {
  return Object.fromEntries(STAGE_LIST.map((stage) => [stage.name, pick(stage)])) as Record<
    StageName,
    T
  >;
}

export const STAGE_TITLES: ByName<string> = byName((stage) => stage.title);
export const STAGE_FAILURE: ByName<ErrorCode> = byName((stage) => stage.failure);
export const DEFAULT_STAGE_TIMEOUTS: ByName<number> = byName((stage) => stage.timeoutMs);

/** The stages a rollback runs (helm rollback in Deploy's place), and how it names them. */
export const ROLLBACK_STAGES: readonly StageName[] = ['deploy', 'verify', 'report'];
export const ROLLBACK_TITLES: Partial<ByName<string>> = { deploy: 'Helm rollback' };
