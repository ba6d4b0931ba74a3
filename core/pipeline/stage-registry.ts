import type { RegistryConfig } from '../domain/catalog.js';
import type { GitCredentials } from '../domain/git-access.js';
import { STAGES, type StageName } from '../domain/stages.js';
import type { Cluster } from '../ports/cluster.js';
import type { Helm } from '../ports/helm.js';
import type { ImageBuilder } from '../ports/image-builder.js';
import type { ImageRegistry } from '../ports/image-registry.js';
import type { ProgramRunner } from '../ports/program-runner.js';
import type { TestedImages } from '../ports/tested-images.js';
import type { Stage } from './stage.js';
import { buildStage } from './stages/build-stage.js';
import { deployStage } from './stages/deploy-stage.js';
import { pushStage } from './stages/push-stage.js';
import { reportStage } from './stages/report-stage.js';
import { rollbackStage } from './stages/rollback-stage.js';
import { sourceStage } from './stages/source-stage.js';
import { testGateStage } from './stages/test-gate-stage.js';
import { verifyStage } from './stages/verify-stage.js';

/** The ports the stages talk to. */
export interface StagePorts {
  /** Runs git for the source stage, on the worker. */
  programs: ProgramRunner;
  /** The sandbox the test gate runs the service's tests in: a container runner, never `programs`. */
  testRunner: ProgramRunner;
  builder: ImageBuilder;
  helm: Helm;
  cluster: Cluster;
  /** The registry's API: whether a tested image is still there, and deleting an untested one. */
  registryApi: ImageRegistry;
  /** Which images passed the test gate. */
  testedImages: TestedImages;
}

export interface StageSettings {
  /** Docker's build network mode; `host` where the engine has no bridge network. */
  buildNetworkMode?: string;
  registryCredentials?: RegistryConfig['credentials'];
  /** The token for private git repositories over https. */
  gitCredentials?: GitCredentials;
  /** The first back-off of push retries. */
  pushBackoffMs?: number;
}

/** The code that runs each stage of core/domain/stages.ts: one entry per name, no more, no less. */
export function deployStages(ports: StagePorts, settings: StageSettings = {}): Stage[] {
  const tested = {
    registryApi: ports.registryApi,
    testedImages: ports.testedImages,
    ...(settings.registryCredentials ? { credentials: settings.registryCredentials } : {}),
  };
  const byName: { [N in StageName]: Stage<N> } = {
    source: sourceStage({
      programs: ports.programs,
      builder: ports.builder,
      tested,
      ...(settings.gitCredentials ? { credentials: settings.gitCredentials } : {}),
    }),
    test: testGateStage({
      runner: ports.testRunner,
      builder: ports.builder,
      ...(settings.buildNetworkMode ? { buildNetworkMode: settings.buildNetworkMode } : {}),
    }),
    build: buildStage({
      builder: ports.builder,
      ...(settings.buildNetworkMode ? { networkMode: settings.buildNetworkMode } : {}),
    }),
    push: pushStage({
      builder: ports.builder,
      tested,
      ...(settings.registryCredentials ? { credentials: settings.registryCredentials } : {}),
      ...(settings.pushBackoffMs === undefined ? {} : { backoffMs: settings.pushBackoffMs }),
    }),
    deploy: deployStage({ helm: ports.helm, tested }),
    verify: verifyStage({ cluster: ports.cluster, helm: ports.helm }),
    report: reportStage({ cluster: ports.cluster }),
  };
  return STAGES.map((name) => byName[name]);
}

/** A rollback (ROLLBACK_STAGES): helm rollback in the Deploy stage's place, then Verify and Report. */
export function rollbackStages(
  ports: Pick<StagePorts, 'helm' | 'cluster'>,
  unsuccessfulRevisions: () => Promise<ReadonlySet<number>>,
): Stage[] {
  return [
    rollbackStage({ helm: ports.helm, unsuccessfulRevisions }),
    verifyStage({ cluster: ports.cluster, helm: ports.helm }),
    reportStage({ cluster: ports.cluster }),
  ];
}
