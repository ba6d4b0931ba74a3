import { DeployError } from '../domain/deploy-error.js';
import type {
  Cluster,
  ClusterTarget,
  PodSummary,
  RolloutProgressReport,
  RolloutWaitRequest,
  ServiceAddress,
} from '../ports/cluster.js';
import type { KubernetesClusterOptions } from './kubernetes-cluster.js';

/** Loads the real adapter (and with it @kubernetes/client-node). */
export type ClusterLoader = (options: KubernetesClusterOptions) => Promise<Cluster>;

const loadKubernetesCluster: ClusterLoader = async (options) => {
  const { KubernetesCluster } = await import('./kubernetes-cluster.js');
  return new KubernetesCluster(options);
};

/**
 * The Cluster port on @kubernetes/client-node, loaded at its first call rather than at start:
 * the library loads every API model it has (about 70 MB resident), which a bot never asked for
 * /status, or a worker that has not yet followed a rollout, does not need. A load that fails is
 * that call's CLUSTER_UNAVAILABLE (the stage that needed the cluster fails with it), and the next
 * call tries again.
 */
export class LazyKubernetesCluster implements Cluster {
  private loaded: Promise<Cluster> | undefined;

  constructor(
    private readonly options: KubernetesClusterOptions = {},
    private readonly load: ClusterLoader = loadKubernetesCluster,
  ) {}

  private cluster(): Promise<Cluster> {
    this.loaded ??= this.load(this.options).catch((error: unknown) => {
      this.loaded = undefined;
      const reason = error instanceof Error ? error.message : String(error);
      throw new DeployError(
        'CLUSTER_UNAVAILABLE',
        `the Kubernetes client could not be loaded: ${reason}`,
        { cause: error },
      );
    });
    return this.loaded;
  }

  async listPods(target: ClusterTarget, release: string): Promise<PodSummary[]> {
    return (await this.cluster()).listPods(target, release);
  }

  async serviceAddress(
    target: ClusterTarget,
    release: string,
  ): Promise<ServiceAddress | undefined> {
    return (await this.cluster()).serviceAddress(target, release);
  }

  async waitForRollout(request: RolloutWaitRequest): Promise<RolloutProgressReport> {
    return (await this.cluster()).waitForRollout(request);
  }
}
