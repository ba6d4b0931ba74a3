import { DeployError } from '../../../core/domain/deploy-error.js';
import type {
  Cluster,
  ClusterTarget,
  PodSummary,
  RolloutProgressReport,
  RolloutWaitRequest,
  ServiceAddress,
} from '../../../core/ports/cluster.js';
import type { FakeHelm } from './fake-helm.js';

/**
 * A cluster whose rollouts follow what FakeHelm installed: a release whose current image tag is
 * one the test marked as crashing fails its rollout, as a crash-looping pod would.
 */
export class FakeCluster implements Cluster {
  readonly crashingTags = new Set<string>();
  readonly rollouts: RolloutWaitRequest[] = [];
  private readonly addresses = new Map<string, ServiceAddress>();
  private readonly pods = new Map<string, PodSummary[]>();

  constructor(private readonly helm: FakeHelm) {}

  setAddress(release: string, address: ServiceAddress): void {
    this.addresses.set(release, address);
  }

  setPods(release: string, pods: PodSummary[]): void {
    this.pods.set(release, pods);
  }

  listPods(_target: ClusterTarget, release: string): Promise<PodSummary[]> {
    return Promise.resolve(this.pods.get(release) ?? []);
  }

  serviceAddress(_target: ClusterTarget, release: string): Promise<ServiceAddress | undefined> {
    return Promise.resolve(this.addresses.get(release));
  }

  waitForRollout(request: RolloutWaitRequest): Promise<RolloutProgressReport> {
    this.rollouts.push(request);
    if (request.signal?.aborted) {
      return Promise.reject(new DeployError('CANCELLED', 'the rollout wait was cancelled'));
    }
    const tag = this.helm.current({ release: request.release, ...request.target })?.['image.tag'];
    const report = { desired: 2, updated: 2, ready: 2, message: '2/2 ready' };
    if (tag !== undefined && this.crashingTags.has(tag)) {
      request.onProgress?.({ ...report, ready: 0, message: '0/2 ready' });
      return Promise.reject(
        new DeployError('ROLLOUT_FAILED', `pod ${request.release}-1 is in CrashLoopBackOff`),
      );
    }
    request.onProgress?.(report);
    return Promise.resolve(report);
  }
}
