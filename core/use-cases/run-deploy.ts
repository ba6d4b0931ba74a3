import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mayDeploy } from '../domain/authorisation.js';
import {
  environmentNamed,
  serviceNamed,
  type EnvironmentConfig,
  type ServiceConfig,
} from '../domain/catalog.js';
import { DeployError } from '../domain/deploy-error.js';
import type { ProgressNote } from '../domain/deploy-progress.js';
import type { DeployRequest } from '../domain/deploy-request.js';
import type { StagePosition } from '../domain/job-progress.js';
import {
  redactInfrastructure,
  type InfrastructureDetails,
} from '../domain/infrastructure-redaction.js';
import { SecretScrubber } from '../domain/secret-scrubber.js';
import { DEFAULT_STAGE_TIMEOUTS, type StageName } from '../domain/stages.js';
import type { Logger } from '../logger.js';
import { runPipeline } from '../pipeline/runner.js';
import type { PipelineResult } from '../pipeline/stage.js';
import { deployStages } from '../pipeline/stage-registry.js';
import type { LockHolder } from '../ports/release-lock.js';
import { ProgressReporter } from '../reporting/progress-reporter.js';
import type { DeployDependencies } from './deploy-dependencies.js';
import { measureDeploy, type DeployMeasures } from './deploy-measures.js';

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
      stages: deployStages(deps, {
        ...(deps.buildNetworkMode ? { buildNetworkMode: deps.buildNetworkMode } : {}),
        ...(deps.gitCredentials ? { gitCredentials: deps.gitCredentials } : {}),
        ...(deps.registry.credentials ? { registryCredentials: deps.registry.credentials } : {}),
        ...(deps.pushBackoffMs === undefined ? {} : { pushBackoffMs: deps.pushBackoffMs }),
      }),
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
        if (event.type === 'stage-started') run.onStage?.({ stage: event.stage, done: [...done] });
        if (event.type === 'stage-finished') done.push(event.stage);
        report.measures.onEvent(event);
        report.reporter.report({ type: event.type, stage: event.stage });
      },
    });
  } finally {
    // Not rmSync: a test gate's node_modules can take seconds to delete, and a blocked event
    // loop stops the job's lock from being renewed.
    await rm(workDir, { recursive: true, force: true });
  }
}

const NO_DETAILS: InfrastructureDetails = { servers: [], paths: [] };

/** The message's ending: success with the address, or the failure with its log. */
async function reportEnd(
  result: PipelineResult,
  reporter: ProgressReporter,
  logger: Logger,
  infrastructure: InfrastructureDetails = NO_DETAILS,
) {
  const { source, push, report } = result.outputs;
  const address = report?.address?.url;
  reporter.report({
    type: 'details',
    ...(source ? { commit: source.commit } : {}),
    ...(push ? { digest: push.digest } : {}),
    ...(address === undefined ? {} : { address }),
  });
  if (result.ok) {
    const revision = result.outputs.deploy?.revision;
    logger.info({ digest: push?.digest, revision }, 'deploy succeeded');
    await reporter.finish({
      type: 'succeeded',
      ...(address === undefined ? {} : { address }),
      ...(push ? { digest: push.digest } : {}),
    });
    return;
  }
  const { stage, error, log } = result;
  logger.warn({ stage, code: error.code, reason: error.message }, 'deploy failed');
  await reporter.finish({
    type: 'failed',
    stage,
    reason: redactInfrastructure(error.message, infrastructure),
    log: redactInfrastructure(log, infrastructure),
    ...(error.rolledBackToRevision === undefined
      ? {}
      : { rolledBackToRevision: error.rolledBackToRevision }),
  });
}

/** Whom this deploy waits behind, as far as the holder said. */
function waitingNote(holder: LockHolder): ProgressNote {
  const { deploy, requestedBy } = holder;
  if (deploy === undefined) return { kind: 'text', text: 'Waiting behind another deploy of it' };
  return { kind: 'waiting-behind', deploy, ...(requestedBy === undefined ? {} : { requestedBy }) };
}

/** A job for a service or environment the catalog no longer has: ended, nothing deployed. */
async function notInCatalog(
  request: DeployRequest,
  reporter: ProgressReporter,
): Promise<DeployEnd> {
  const reason = `${request.service} → ${request.environment} is no longer in the service catalog; nothing was deployed.`;
  await reporter.finish({ type: 'failed', stage: 'source', reason });
  const error = new DeployError('UNKNOWN_SERVICE', reason);
  return { kind: 'finished', result: { ok: false, stage: 'source', error, log: '', outputs: {} } };
}

/** A job whose requester may not (or could not be shown to) deploy there now: nothing runs. */
async function notAllowedNow(
  request: DeployRequest,
  reporter: ProgressReporter,
  refused: boolean,
): Promise<DeployEnd> {
  const reason = refused
    ? `the requester may no longer deploy to ${request.environment} (they are not among its deployers now); nothing was deployed.`
    : `I could not check that the requester may still deploy to ${request.environment} (the user-group look-up failed); nothing was deployed. Deploy again in a minute.`;
  await reporter.finish({ type: 'failed', stage: 'source', reason });
  const error = new DeployError('NOT_AUTHORISED', reason);
  return { kind: 'finished', result: { ok: false, stage: 'source', error, log: '', outputs: {} } };
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
  const resumed = { type: 'note', note: { kind: 'resumed-after-restart' } } as const;
  if (run.resumed) reporter.report(resumed);
  const service = serviceNamed(deps.catalog, serviceName);
  const environment = environmentNamed(deps.catalog, environmentName);
  if (!service || !environment) return notInCatalog(request, reporter);
  const mayStill = await mayDeploy(request.origin.user.id, environment, (group) =>
    deps.directory.userGroupMembers(group),
  ).catch((error: unknown) => {
    logger.warn({ err: error }, 'could not check the requester’s right to deploy');
    return undefined;
  });
  if (mayStill !== true) return notAllowedNow(request, reporter, mayStill === false);

  const claim = await deps.lock.tryAcquire(`${environment.name}/${service.release}`, {
    jobId: request.id,
    deploy: { service: serviceName, ref: request.ref, environment: environment.name },
    requestedBy: request.origin.user.id,
  });
  const measures = measureDeploy(request, deps.metrics, deps.clock);
  if ('heldBy' in claim) {
    measures.busy();
    if (run.toldWaitingBehind !== claim.heldBy.jobId) {
      reporter.report({ type: 'note', note: waitingNote(claim.heldBy) });
      await reporter.settle();
    }
    return { kind: 'waiting', holder: claim.heldBy };
  }
  measures.started(run.resumed);
  try {
    reporter.report({ type: 'clear-notes' });
    if (run.resumed) reporter.report(resumed);
    const result = await runStages(request, { service, environment }, deps, run, {
      reporter,
      logger,
      measures,
    });
    measures.ended(result.ok ? 'succeeded' : 'failed');
    await reportEnd(result, reporter, logger, deps.infrastructure);
    return { kind: 'finished', result };
  } finally {
    measures.released();
    await claim.release().catch((error: unknown) => {
      logger.warn({ err: error }, 'could not release the release lock; it lapses on its own');
    });
  }
}
