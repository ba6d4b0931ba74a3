import { ContainerProgramRunner } from '../core/adapters/container-program-runner.js';
import { dockerFromHost } from '../core/adapters/docker-client.js';
import { DockerodeImageBuilder } from '../core/adapters/dockerode-image-builder.js';
import { HelmCli } from '../core/adapters/helm-cli.js';
import type { RedisClient } from '../core/adapters/redis-connection.js';
import { HostProgramRunner } from '../core/adapters/host-program-runner.js';
import { LazyKubernetesCluster } from '../core/adapters/lazy-kubernetes-cluster.js';
import { RedisReleaseLock } from '../core/adapters/redis-release-lock.js';
import { RedisTestedImages } from '../core/adapters/redis-tested-images.js';
import { RegistryApi } from '../core/adapters/registry-api.js';
import { configSecrets, type Config } from '../core/config.js';
import type { ChatAddress } from '../core/domain/chat-address.js';
import type { Logger } from '../core/logger.js';
import type { ChatCallMetrics, DeployMetrics } from '../core/ports/metrics.js';
import type { DeployDependencies } from '../core/use-cases/deploy-dependencies.js';
import { chatFor } from './chat-for.js';
import type { LazyInfrastructure } from './lazy-infrastructure.js';

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

/** The stages' ports (git, the test gate's sandbox, builder, helm, cluster). */
export type StagePortsOverride = Partial<
  Pick<DeployDependencies, 'programs' | 'testRunner' | 'builder' | 'helm' | 'cluster'>
>;

/** A deploy's dependencies: the same adapters for every deploy, but the chat it was asked on. */
export type DependenciesFor = (request: {
  origin: Pick<ChatAddress, 'workspace'>;
}) => DeployDependencies;

/** The real adapters, from the configuration, for running deploys. */
export function deployDependencies(
  config: Config,
  logger: Logger,
  redis: RedisClient,
  options: {
    brakes: BrakePorts;
    /** The cluster details to keep out of chat, read before the first deploy. */
    infrastructure: LazyInfrastructure;
    tuning?: DeployTuning;
    metrics?: DeployMetrics & ChatCallMetrics;
    /** Instead of the real ones: the bench's instant stages, which measure all but the stages. */
    stagePorts?: StagePortsOverride;
  },
): DependenciesFor {
  const { metrics } = options;
  const kubeconfig = config.kube.kubeconfig;
  const docker = dockerFromHost(config.docker.host, config.docker.tls);
  const git = config.git.credentials;
  const surfaceFor = chatFor(config, logger, redis, metrics);
  const shared: Omit<DeployDependencies, 'chat' | 'directory' | 'infrastructure'> = {
    catalog: config.catalog,
    registry: config.registry,
    programEnv: config.programEnv,
    secrets: configSecrets(config),
    ...(config.docker.buildNetworkMode ? { buildNetworkMode: config.docker.buildNetworkMode } : {}),
    ...(git ? { gitCredentials: git } : {}),
    programs: new HostProgramRunner(),
    testRunner: new ContainerProgramRunner({
      docker,
      ...(config.docker.testNetworkMode ? { networkMode: config.docker.testNetworkMode } : {}),
    }),
    builder: new DockerodeImageBuilder(docker),
    registryApi: new RegistryApi(),
    testedImages: new RedisTestedImages({ connection: redis, namespace: config.queue.name }),
    helm: new HelmCli({ bin: config.helm.bin, ...(kubeconfig ? { kubeconfig } : {}) }),
    // @kubernetes/client-node loads at the first rollout, not at start (~70 MB an idle worker keeps).
    cluster: new LazyKubernetesCluster(kubeconfig ? { kubeconfigPath: kubeconfig } : {}),
    lock: new RedisReleaseLock({ connection: redis }),
    ...options.brakes,
    logger,
    ...(metrics ? { metrics } : {}),
    ...options.tuning,
    ...options.stagePorts,
  };
  return (request) => ({
    ...shared,
    infrastructure: options.infrastructure.current(),
    ...surfaceFor(request.origin),
  });
}
