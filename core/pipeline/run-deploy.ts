import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { DeployError } from '../domain/deploy-error.js';
import type { DeployRequest } from '../domain/deploy-request.js';
import type { Logger } from '../logger.js';
import type { Chat } from '../ports/chat.js';
import type { Cluster } from '../ports/cluster.js';
import type { Helm } from '../ports/helm.js';
import type { ImageBuilder } from '../ports/image-builder.js';
import type { ProgramRunner } from '../ports/program-runner.js';
import type { LockHolder, ReleaseLock } from '../ports/release-lock.js';
import type { StageName } from '../domain/stages.js';
import type { PipelineResult, PipelineStage } from './pipeline-types.js';
import { ProgressReporter } from '../reporting/progress-reporter.js';
import { runPipeline } from './runner.js';
import { SecretScrubber } from './secret-scrubber.js';
import { buildStage } from './stages/build-stage.js';
import { deployStage } from './stages/deploy-stage.js';
import { pushStage } from './stages/push-stage.js';
import { reportStage } from './stages/report-stage.js';
import { sourceStage } from './stages/source-stage.js';
import { testGateStage } from './stages/test-gate-stage.js';
import { verifyStage } from './stages/verify-stage.js';

export interface StageTimeouts {
  source: number;
  build: number;
  push: number;
  deploy: number;
  verify: number;
  report: number;
}

export const DEFAULT_TIMEOUTS: StageTimeouts = {
  source: 5 * 60_000,
  build: 20 * 60_000,
  push: 10 * 60_000,
  deploy: 5 * 60_000,
  verify: 10 * 60_000,
  report: 60_000,
};

export interface DeployDependencies {
  config: Pick<Config, 'catalog' | 'registry' | 'programEnv' | 'docker' | 'slack'>;
  builder: ImageBuilder;
  /** Runs git for the source stage, on the worker. */
  programs: ProgramRunner;
  /** Runs the test gate's commands; the worker's `programs` when absent. */
  testRunner?: ProgramRunner;
  helm: Helm;
  cluster: Cluster;
  chat: Chat;
  lock: ReleaseLock;
  logger: Logger;
  timeouts?: Partial<StageTimeouts>;
  /** How often the channel message may be updated. */
  progressIntervalMs?: number;
  /** Push retries' first back-off. */
  pushBackoffMs?: number;
}

export interface DeployRun {
  signal: AbortSignal;
  /** The job ran before, on a worker that stopped: the message says it resumed. */
  resumed: boolean;
  /** Where the deploy is, for whoever must end its message if this worker cannot. */
  onStage?: (position: StagePosition) => void;
  /** The job id of the deploy this one already said it waits behind, so it is said once. */
  toldWaitingBehind?: string;
}

/** A deploy either ran to its end, or found its release busy and must try again later. */
export type DeployEnd =
  { kind: 'finished'; result: PipelineResult } | { kind: 'waiting'; holder: LockHolder };

/** The stage running and those done: enough to tell the channel how far an abandoned deploy got. */
export interface StagePosition {
  stage: StageName;
  done: StageName[];
}

function stagesFor(deps: DeployDependencies, testTimeoutMs: number): PipelineStage[] {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...deps.timeouts };
  const { credentials } = deps.config.registry;
  return [
    sourceStage({ programs: deps.programs, timeoutMs: timeouts.source }),
    testGateStage({ runner: deps.testRunner ?? deps.programs, timeoutMs: testTimeoutMs }),
    buildStage({
      builder: deps.builder,
      timeoutMs: timeouts.build,
      ...(deps.config.docker.buildNetworkMode
        ? { networkMode: deps.config.docker.buildNetworkMode }
        : {}),
    }),
    pushStage({
      builder: deps.builder,
      timeoutMs: timeouts.push,
      ...(credentials ? { credentials } : {}),
      ...(deps.pushBackoffMs === undefined ? {} : { backoffMs: deps.pushBackoffMs }),
    }),
    deployStage({ helm: deps.helm, timeoutMs: timeouts.deploy }),
    verifyStage({ cluster: deps.cluster, helm: deps.helm, timeoutMs: timeouts.verify }),
    reportStage({ cluster: deps.cluster, timeoutMs: timeouts.report }),
  ];
}

/**
 * One deploy, start to end: waits for its release, runs the pipeline in a directory of its own,
 * and always ends the channel message with success or failure.
 */
export async function runDeploy(
  request: DeployRequest,
  deps: DeployDependencies,
  run: DeployRun,
): Promise<DeployEnd> {
  const logger = deps.logger.child({
    jobId: request.id,
    service: request.service,
    environment: request.environment,
  });
  const { catalog } = deps.config;
  const reporter = new ProgressReporter({
    chat: deps.chat,
    request,
    logger,
    ...(deps.progressIntervalMs === undefined ? {} : { intervalMs: deps.progressIntervalMs }),
    ...(catalog.notifications ? { notifications: catalog.notifications } : {}),
  });
  if (run.resumed) reporter.report({ type: 'note', note: { kind: 'resumed-after-restart' } });

  const service = catalog.services[request.service];
  const environment = catalog.environments[request.environment];
  if (!service || !environment) {
    const reason = `${request.service} → ${request.environment} is no longer in the service catalog; nothing was deployed.`;
    await reporter.finish({ type: 'failed', stage: 'source', reason });
    const error = new DeployError('UNKNOWN_SERVICE', reason);
    return {
      kind: 'finished',
      result: { ok: false, stage: 'source', error, log: '', outcome: {} },
    };
  }

  const claim = await deps.lock.tryAcquire(`${environment.name}/${service.release}`, {
    jobId: request.id,
    deploy: { service: request.service, ref: request.ref, environment: environment.name },
    requestedBy: request.origin.user.id,
  });
  if ('heldBy' in claim) {
    if (run.toldWaitingBehind !== claim.heldBy.jobId) {
      reporter.report({
        type: 'note',
        note: {
          kind: 'waiting-behind',
          deploy: claim.heldBy.deploy,
          requestedBy: claim.heldBy.requestedBy,
        },
      });
      await reporter.settle();
    }
    return { kind: 'waiting', holder: claim.heldBy };
  }
  const lease = claim;
  const workDir = mkdtempSync(join(tmpdir(), 'harbormaster-deploy-'));
  try {
    reporter.report({ type: 'clear-notes' });
    if (run.resumed) reporter.report({ type: 'note', note: { kind: 'resumed-after-restart' } });
    const scrubber = new SecretScrubber([
      deps.config.registry.credentials?.password,
      deps.config.slack.botToken,
      deps.config.slack.signingSecret,
      deps.config.slack.appToken,
    ]);
    const done: StageName[] = [];
    const result = await runPipeline({
      stages: stagesFor(deps, service.test.timeoutMs),
      context: {
        request,
        service,
        environment,
        registry: deps.config.registry,
        workDir,
        programEnv: deps.config.programEnv,
        outcome: {},
      },
      signal: run.signal,
      scrubber,
      onLine: (stage, line) => {
        logger.debug({ stage, line }, 'stage output');
      },
      onEvent: (event) => {
        if (event.type === 'stage-started') run.onStage?.({ stage: event.stage, done: [...done] });
        if (event.type === 'stage-finished') done.push(event.stage);
        reporter.report({ type: event.type, stage: event.stage });
      },
    });
    const { outcome } = result;
    reporter.report({
      type: 'details',
      ...(outcome.commit ? { commit: outcome.commit } : {}),
      ...(outcome.digest ? { digest: outcome.digest } : {}),
      ...(outcome.address ? { address: outcome.address.url } : {}),
    });
    if (result.ok) {
      logger.info({ digest: outcome.digest, revision: outcome.revision }, 'deploy succeeded');
      await reporter.finish({
        type: 'succeeded',
        ...(outcome.address ? { address: outcome.address.url } : {}),
        ...(outcome.digest ? { digest: outcome.digest } : {}),
      });
    } else {
      logger.warn(
        { stage: result.stage, code: result.error.code, reason: result.error.message },
        'deploy failed',
      );
      await reporter.finish({
        type: 'failed',
        stage: result.stage,
        reason: result.error.message,
        log: result.log,
        ...(outcome.rolledBackTo === undefined
          ? {}
          : { rolledBackToRevision: outcome.rolledBackTo }),
      });
    }
    return { kind: 'finished', result };
  } finally {
    await lease.release().catch((error: unknown) => {
      logger.warn({ err: error }, 'could not release the release lock; it lapses on its own');
    });
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * Ends the message of a deploy that no worker will finish (its workers stopped more often than a
 * deploy is resumed), so that no channel is left with a deploy "in progress" for ever.
 */
export async function endAbandonedDeploy(
  request: DeployRequest,
  position: StagePosition | undefined,
  deps: Pick<DeployDependencies, 'chat' | 'logger' | 'config'>,
): Promise<void> {
  const { notifications } = deps.config.catalog;
  const reporter = new ProgressReporter({
    chat: deps.chat,
    request,
    logger: deps.logger.child({ jobId: request.id }),
    ...(notifications ? { notifications } : {}),
  });
  for (const stage of position?.done ?? []) {
    reporter.report({ type: 'stage-started', stage });
    reporter.report({ type: 'stage-finished', stage });
  }
  await reporter.finish({
    type: 'failed',
    stage: position?.stage ?? 'source',
    reason:
      'the workers running this deploy stopped before it ended, more often than a deploy is resumed. Nothing more will run; deploy again when the workers are healthy.',
  });
}
