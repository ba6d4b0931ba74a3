import { DelayedError, UnrecoverableError, type Worker } from 'bullmq';
import { setTimeout as sleep } from 'node:timers/promises';
import { dockerFromHost } from '../core/adapters/docker-client.js';
import { DockerodeImageBuilder } from '../core/adapters/dockerode-image-builder.js';
import { HelmCli } from '../core/adapters/helm-cli.js';
import { HostProgramRunner } from '../core/adapters/host-program-runner.js';
import { KubernetesCluster } from '../core/adapters/kubernetes-cluster.js';
import { createRedisConnection } from '../core/adapters/redis-connection.js';
import { RedisReleaseLock } from '../core/adapters/redis-release-lock.js';
import { SlackChat } from '../core/adapters/slack/slack-chat.js';
import type { Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import { deployRequestSchema } from '../core/domain/deploy-request.js';
import {
  endAbandonedDeploy,
  runDeploy,
  type DeployDependencies,
  type StagePosition,
} from '../core/pipeline/run-deploy.js';
import { createDeployWorker } from './deploy-worker.js';

export interface RunningWorker {
  worker: Worker;
  /** Stops taking jobs; running deploys get `graceMs` to finish, then are handed back. */
  stop(graceMs: number): Promise<void>;
}

export interface WorkerSettings {
  /** Overrides for tests: shorter stage timeouts, faster progress updates, a short job lock. */
  tuning?: Pick<DeployDependencies, 'timeouts' | 'progressIntervalMs' | 'pushBackoffMs'> & {
    lockDurationMs?: number;
  };
}

/** How soon a deploy whose release is busy looks again. */
const RELEASE_RETRY_MS = 1000;

function waitingNoteOf(progress: unknown): { toldWaitingBehind?: string } {
  if (typeof progress !== 'object' || progress === null || !('waitingBehind' in progress))
    return {};
  const { waitingBehind } = progress;
  return typeof waitingBehind === 'string' ? { toldWaitingBehind: waitingBehind } : {};
}

/** A job's progress as the handler records it: its position, or that its end was reported. */
function abandonedPosition(progress: unknown): StagePosition | 'reported' | undefined {
  if (typeof progress !== 'object' || progress === null) return undefined;
  if ('reported' in progress) return 'reported';
  return 'stage' in progress ? (progress as StagePosition) : undefined;
}

/** Wires the real adapters from the configuration and starts taking deploy jobs. */
export function startWorker(
  config: Config,
  logger: Logger,
  settings: WorkerSettings = {},
): RunningWorker {
  const blocking = createRedisConnection(config.redis.url, { blocking: true });
  const commands = createRedisConnection(config.redis.url, { blocking: true });
  for (const connection of [blocking, commands]) {
    connection.on('error', (error) => {
      logger.warn({ err: error }, 'redis connection error');
    });
  }
  const kubeconfig = config.kube.kubeconfig;
  const { lockDurationMs, ...tuning } = settings.tuning ?? {};
  const deps: DeployDependencies = {
    config,
    builder: new DockerodeImageBuilder(dockerFromHost(config.docker.host)),
    programs: new HostProgramRunner(),
    helm: new HelmCli({ bin: config.helm.bin, ...(kubeconfig ? { kubeconfig } : {}) }),
    cluster: new KubernetesCluster(kubeconfig ? { kubeconfigPath: kubeconfig } : {}),
    chat: new SlackChat({
      token: config.slack.botToken,
      ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
      logger,
    }),
    lock: new RedisReleaseLock({ connection: commands }),
    logger,
    ...tuning,
  };
  const worker = createDeployWorker({
    connection: blocking,
    queueName: config.queue.name,
    concurrency: config.worker.concurrency,
    lockDurationMs: lockDurationMs ?? config.worker.lockDurationMs,
    handle: async (request, context) => {
      const { job } = context;
      const end = await runDeploy(request, deps, {
        signal: context.signal,
        resumed: context.resumed,
        ...waitingNoteOf(job.progress),
        onStage: (position) => {
          job.updateProgress({ ...position }).catch(() => undefined);
        },
      });
      if (end.kind === 'waiting') {
        // Its release is busy: back to delayed, freeing this worker's slot for other releases.
        await job.updateProgress({ waitingBehind: end.holder.jobId });
        await job.moveToDelayed(Date.now() + RELEASE_RETRY_MS, context.token);
        throw new DelayedError();
      }
      await job.updateProgress({ reported: true });
      const { result } = end;
      // The channel has been told how it ended; BullMQ records the failure without retrying it.
      if (!result.ok) throw new UnrecoverableError(`${result.stage}: ${result.error.message}`);
    },
  });
  worker.on('failed', (job) => {
    if (!job) return;
    const progress = abandonedPosition(job.progress);
    const request = deployRequestSchema.safeParse(job.data);
    if (progress === 'reported' || !request.success) return;
    endAbandonedDeploy(request.data, progress, deps).catch((error: unknown) => {
      logger.error(
        { err: error, jobId: job.id },
        'could not end the message of an abandoned deploy',
      );
    });
  });
  worker.on('error', (error) => {
    logger.error({ err: error }, 'worker error');
  });
  logger.info(
    { queue: config.queue.name, concurrency: config.worker.concurrency },
    'worker started',
  );

  return {
    worker,
    async stop(graceMs) {
      const patience = new AbortController();
      const finished = await Promise.race([
        worker.close().then(() => true),
        sleep(graceMs, false, { signal: patience.signal }).catch(() => false),
      ]);
      patience.abort();
      if (!finished) {
        logger.warn('running deploys handed back: another worker resumes them');
        await worker.close(true);
      }
      blocking.disconnect();
      commands.disconnect();
    },
  };
}
