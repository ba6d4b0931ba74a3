import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  environmentNamed,
  releaseOf,
  serviceNamed,
  type EnvironmentConfig,
  type ServiceConfig,
} from '../domain/catalog.js';
import type { ChatUser } from '../domain/chat-address.js';
import type { DeployRequest } from '../domain/deploy-request.js';
import type { StagePosition } from '../domain/job-progress.js';
import { SecretScrubber } from '../domain/secret-scrubber.js';
import { DEFAULT_STAGE_TIMEOUTS, type StageName } from '../domain/stages.js';
import type { Logger } from '../logger.js';
import { runPipeline } from '../pipeline/runner.js';
import type { PipelineResult } from '../pipeline/stage.js';
import { deployStages, rollbackStages } from '../pipeline/stage-registry.js';
import type { LockHolder } from '../ports/release-lock.js';
import { ProgressReporter } from '../reporting/progress-reporter.js';
import { watchForCancel } from './cancel-watch.js';
import type { DeployDependencies } from './deploy-dependencies.js';
import { endCancelled, notInCatalog, reportEnd } from './deploy-ending.js';
import { recordEnded, recordStarted } from './deploy-records.js';
import { markedHelm } from './marked-helm.js';
import { checkReleaseOrSayWhy, releaseRefused } from './recover-release.js';
import { endedByEarlierAttempt, tellWaiting } from './release-held.js';
import { endUnlessStillAllowed } from './still-allowed.js';
import { unsuccessfulRevisions } from './unsuccessful-revisions.js';
import { measureDeploy, type DeployMeasures } from './deploy-measures.js';
import { tellEvent } from './tell-event.js';

export interface DeployRun {
  signal: AbortSignal;
  /** The job ran before, on a worker that stopped: the message says it resumed. */
  resumed: boolean;
  /** Where the deploy is, for whoever must end its message if this worker cannot. */
  onStage?: (position: StagePosition) => void;
  /** The job id of the deploy this one already said it waits behind, so it is said once. */
  toldWaitingBehind?: string;
}

/**
 * A deploy ran to its end, or found its release busy and must try again later, or (a resumed
 * job) found that an earlier attempt of it, on a worker that had lost the job, already ended it.
 */
export type DeployEnd =
  | { kind: 'finished'; result: PipelineResult }
  | { kind: 'waiting'; holder: LockHolder }
  | { kind: 'ended-earlier'; result: 'succeeded' | 'failed' | 'cancelled' };

interface Target {
  service: ServiceConfig;
  environment: EnvironmentConfig;
}

function newReporter(request: DeployRequest, deps: DeployDependencies, logger: Logger) {
  const { notifications } = deps.catalog;
  return new ProgressReporter({
    chat: deps.chat,
    request,
    logger,
    ...(deps.progressIntervalMs === undefined ? {} : { intervalMs: deps.progressIntervalMs }),
    ...(notifications ? { notifications } : {}),
    ...(deps.clock ? { clock: deps.clock } : {}),
  });
}

/** The pipeline in the deploy's own directory, each stage's start and end told as it happens. */
async function runStages(
  request: DeployRequest,
  target: Target,
  deps: DeployDependencies,
  run: DeployRun,
  report: { reporter: ProgressReporter; logger: Logger; measures: DeployMeasures },
): Promise<PipelineResult> {
  const workDir = await mkdtemp(join(tmpdir(), 'harbormaster-deploy-'));
  const done: StageName[] = [];
  try {
    return await runPipeline({
      stages: stagesOf(request, deps),
      context: {
        request,
        ...target,
        registry: deps.registry,
        workDir,
        programEnv: deps.programEnv,
      },
      timeouts: {
        ...DEFAULT_STAGE_TIMEOUTS,
        ...deps.timeouts,
        test: target.service.test.timeoutMs,
      },
      signal: run.signal,
      scrubber: new SecretScrubber(deps.secrets),
      onLine: (stage, line) => {
        report.logger.debug({ stage, line }, 'stage output');
      },
      onEvent: (event) => {
        tellEvent(event, { done, onStage: run.onStage, ...report });
      },
    });
  } finally {
    // Not rmSync: a test gate's node_modules can take seconds to delete, and a blocked event
    // loop stops the job's lock from being renewed.
    await rm(workDir, { recursive: true, force: true });
  }
}

/** A deploy's stages, or a rollback's (helm rollback, then Verify and Report). */
function stagesOf(request: DeployRequest, deps: DeployDependencies) {
  if (request.kind === 'rollback') {
    const target = { service: request.service, environment: request.environment };
    return rollbackStages(deps, () => unsuccessfulRevisions(target, deps.history));
  }
  return deployStages(deps, {
    ...(deps.buildNetworkMode ? { buildNetworkMode: deps.buildNetworkMode } : {}),
    ...(deps.gitCredentials ? { gitCredentials: deps.gitCredentials } : {}),
    ...(deps.registry.credentials ? { registryCredentials: deps.registry.credentials } : {}),
    ...(deps.pushBackoffMs === undefined ? {} : { pushBackoffMs: deps.pushBackoffMs }),
  });
}

/**
 * The release checked first (a `pending-*` one that a dead deploy of ours left is recovered, any
 * other refused), then the stages, with every helm command that changes it written down.
 */
async function runChecked(
  request: DeployRequest,
  target: Target,
  deps: DeployDependencies,
  run: DeployRun,
  report: { reporter: ProgressReporter; logger: Logger; measures: DeployMeasures },
): Promise<PipelineResult> {
  const helm = markedHelm(deps.helm, deps.operations, request.id);
  const release = releaseOf(target.service, target.environment);
  const timeoutMs = deps.timeouts?.deploy ?? DEFAULT_STAGE_TIMEOUTS.deploy;
  const check = await checkReleaseOrSayWhy(request, release, {
    ...deps,
    helm,
    logger: report.logger,
    timeoutMs,
  });
  if (!check.ok) return releaseRefused(check.reason, new SecretScrubber(deps.secrets));
  if (check.note !== undefined) report.reporter.report({ type: 'note', note: check.note });
  return runStages(request, target, { ...deps, helm }, run, report);
}

/**
 * One deploy, start to end: takes its release (or says whom it waits behind and steps aside),
 * runs the pipeline in a directory of its own, and always ends the message with the outcome.
 */
export async function runDeploy(
  request: DeployRequest,
  deps: DeployDependencies,
  run: DeployRun,
): Promise<DeployEnd> {
  const { service: serviceName, environment: environmentName } = request;
  const logger = deps.logger.child({
    jobId: request.id,
    service: serviceName,
    environment: environmentName,
  });
  const reporter = newReporter(request, deps, logger);
  const service = serviceNamed(deps.catalog, serviceName);
  const environment = environmentNamed(deps.catalog, environmentName);
  if (!service || !environment) return notInCatalog(request, reporter);
  const refused = await endUnlessStillAllowed(request, environment, deps, { reporter, logger });
  if (refused) return refused;

  const watch = await watchForCancel(request.id, {
    cancels: deps.cancels,
    logger,
    signal: run.signal,
  });
  try {
    const early = watch.cancelledBy();
    if (early !== undefined) return await endCancelled(request, early, deps, reporter);
    return await runLocked(
      request,
      { service, environment },
      deps,
      { ...run, signal: watch.signal },
      {
        reporter,
        logger,
        cancelledBy: () => watch.cancelledBy(),
      },
    );
  } finally {
    watch.stop();
  }
}

/** With the release taken (or said whom it waits behind): the deploy, its ending and its record. */
async function runLocked(
  request: DeployRequest,
  target: Target,
  deps: DeployDependencies,
  run: DeployRun,
  report: { reporter: ProgressReporter; logger: Logger; cancelledBy: () => ChatUser | undefined },
): Promise<DeployEnd> {
  const { reporter, logger } = report;
  const { service, environment } = target;
  const claim = await deps.lock.tryAcquire(`${environment.name}/${service.release}`, {
    jobId: request.id,
    deploy: { service: request.service, ref: request.ref, environment: environment.name },
    requestedBy: request.origin.user.id,
  });
  const measures = measureDeploy(request, deps.metrics, deps.clock);
  if ('heldBy' in claim) {
    measures.busy();
    await tellWaiting(request.id, claim.heldBy, run.toldWaitingBehind, reporter);
    return { kind: 'waiting', holder: claim.heldBy };
  }
  const earlier = run.resumed ? await endedByEarlierAttempt(request, deps) : undefined;
  if (earlier !== undefined) {
    await claim.release().catch(() => undefined);
    return { kind: 'ended-earlier', result: earlier };
  }
  measures.started(run.resumed);
  try {
    reporter.report({ type: 'clear-notes' });
    if (run.resumed) reporter.report({ type: 'note', note: { kind: 'resumed-after-restart' } });
    await recordStarted(request, deps);
    const result = await runChecked(request, target, deps, run, { ...report, measures });
    const by = report.cancelledBy();
    measures.ended(result.ok ? 'succeeded' : 'failed');
    await reportEnd(result, reporter, logger, {
      ...(by === undefined ? {} : { cancelledBy: by }),
      ...(deps.infrastructure === undefined ? {} : { infrastructure: deps.infrastructure }),
    });
    await recordEnded(request, result, by, deps);
    return { kind: 'finished', result };
  } finally {
    measures.released();
    await claim.release().catch((error: unknown) => {
      logger.warn({ err: error }, 'could not release the release lock; it lapses on its own');
    });
  }
}
