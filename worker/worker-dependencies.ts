import type { Redis } from 'ioredis';
import { ContainerProgramRunner } from '../core/adapters/container-program-runner.js';
import { dockerFromHost } from '../core/adapters/docker-client.js';
import { DockerodeImageBuilder } from '../core/adapters/dockerode-image-builder.js';
import { HelmCli } from '../core/adapters/helm-cli.js';
import { HostProgramRunner } from '../core/adapters/host-program-runner.js';
import { KubernetesCluster } from '../core/adapters/kubernetes-cluster.js';
import { RedisReleaseLock } from '../core/adapters/redis-release-lock.js';
import { SlackChat } from '../core/adapters/slack/slack-chat.js';
import type { Config } from '../core/config.js';
import { basicAuthPair } from '../core/domain/git-access.js';
import type { Logger } from '../core/logger.js';
import type { DeployDependencies } from '../core/use-cases/deploy-dependencies.js';

/** Overrides for tests: shorter stage timeouts, faster progress updates, short push back-off. */
export type DeployTuning = Pick<
  DeployDependencies,
  'timeouts' | 'progressIntervalMs' | 'pushBackoffMs'
>;

/** The real adapters, from the configuration, for running deploys. */
export function deployDependencies(
  config: Config,
  logger: Logger,
  redis: Redis,
  tuning: DeployTuning = {},
): DeployDependencies {
  const kubeconfig = config.kube.kubeconfig;
  const docker = dockerFromHost(config.docker.host);
  const git = config.git.credentials;
  return {
    catalog: config.catalog,
    registry: config.registry,
    programEnv: config.programEnv,
    secrets: [
      config.registry.credentials?.password,
      config.slack.botToken,
      config.slack.signingSecret,
      config.slack.appToken,
      git?.token,
      git && basicAuthPair(git),
    ],
    ...(config.docker.buildNetworkMode ? { buildNetworkMode: config.docker.buildNetworkMode } : {}),
    ...(git ? { gitCredentials: git } : {}),
    programs: new HostProgramRunner(),
    testRunner: new ContainerProgramRunner({
      docker,
      ...(config.docker.testNetworkMode ? { networkMode: config.docker.testNetworkMode } : {}),
    }),
    builder: new DockerodeImageBuilder(docker),
    helm: new HelmCli({ bin: config.helm.bin, ...(kubeconfig ? { kubeconfig } : {}) }),
    cluster: new KubernetesCluster(kubeconfig ? { kubeconfigPath: kubeconfig } : {}),
    chat: new SlackChat({
      token: config.slack.botToken,
      ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
      logger,
    }),
    lock: new RedisReleaseLock({ connection: redis }),
    logger,
    ...tuning,
  };
}
