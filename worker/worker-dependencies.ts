import type { Redis } from 'ioredis';
import { dockerFromHost } from '../core/adapters/docker-client.js';
import { DockerodeImageBuilder } from '../core/adapters/dockerode-image-builder.js';
import { HelmCli } from '../core/adapters/helm-cli.js';
import { HostProgramRunner } from '../core/adapters/host-program-runner.js';
import { KubernetesCluster } from '../core/adapters/kubernetes-cluster.js';
import { RedisReleaseLock } from '../core/adapters/redis-release-lock.js';
import { SlackChat } from '../core/adapters/slack/slack-chat.js';
import type { Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import type { DeployDependencies } from '../core/use-cases/deploy-dependencies.js';

/** Overrides for tests: shorter stage timeouts, faster progress updates, short push back-off. */
export type DeployTuning = Pick<
  DeployDependencies,
  'timeouts' | 'progressIntervalMs' | 'pushBackoffMs'
>;

/** What the worker uses of the brakes' adapters (redis-brakes.ts). */
export type BrakePorts = Pick<
  DeployDependencies,
  'cancels' | 'history' | 'audit' | 'operations' | 'jobs'
>;

/** The real adapters, from the configuration, for running deploys. */
export function deployDependencies(
  config: Config,
  logger: Logger,
  redis: Redis,
  options: { brakes: BrakePorts; tuning?: DeployTuning },
): DeployDependencies {
  const kubeconfig = config.kube.kubeconfig;
  return {
    catalog: config.catalog,
    registry: config.registry,
    programEnv: config.programEnv,
    secrets: [
      config.registry.credentials?.password,
      config.slack.botToken,
      config.slack.signingSecret,
      config.slack.appToken,
    ],
    ...(config.docker.buildNetworkMode ? { buildNetworkMode: config.docker.buildNetworkMode } : {}),
    programs: new HostProgramRunner(),
    builder: new DockerodeImageBuilder(dockerFromHost(config.docker.host)),
    helm: new HelmCli({ bin: config.helm.bin, ...(kubeconfig ? { kubeconfig } : {}) }),
    cluster: new KubernetesCluster(kubeconfig ? { kubeconfigPath: kubeconfig } : {}),
    chat: new SlackChat({
      token: config.slack.botToken,
      ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
      logger,
    }),
    lock: new RedisReleaseLock({ connection: redis }),
    ...options.brakes,
    logger,
    ...options.tuning,
  };
}
