import type {
  Cluster,
  ClusterTarget,
  PodSummary,
  RolloutProgressReport,
  RolloutWaitRequest,
  ServiceAddress,
} from '../ports/cluster.js';
import type { KubernetesClusterOptions } from './kubernetes-cluster.js';

/**
 * The Cluster port on @kubernetes/client-node, loaded at its first call rather than at start:
 * the library loads every API model it has (about 70 MB resident), which a bot that is never
 * asked for /status or a rollback's pods does not need.
 */
export class LazyKubernetesCluster implements Cluster {
  private loaded: Promise<Cluster> | undefined;

  constructor(private readonly options: KubernetesClusterOptions = {}) {}

  private cluster(): Promise<Cluster> {
    this.loaded ??= import('./kubernetes-cluster.js').then(
      ({ KubernetesCluster }) => new KubernetesCluster(this.options),
    );
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
