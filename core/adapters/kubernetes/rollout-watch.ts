import type {
  AppsV1Api,
  ConfigurationOptions,
  CoreV1Api,
  V1Deployment,
  V1Pod,
  V1ReplicaSet,
  Watch,
} from '@kubernetes/client-node';
import { DeployError } from '../../domain/deploy-error.js';
import type { RolloutProgressReport, RolloutWaitRequest } from '../../ports/cluster.js';
import { clusterError, type RequestScope } from './cluster-error.js';
import { ListWatch, type Listed } from './list-watch.js';
import {
  currentRevisionFailingPods,
  describeFailingPods,
  failingPods,
  type FailingPod,
} from './rollout-pods.js';
import {
  deploymentRollout,
  report,
  rolloutProgress,
  type RolloutProgress,
} from './rollout-status.js';

/** What following a rollout needs from the cluster adapter: clients for one context. */
export interface RolloutClients {
  apps: AppsV1Api;
  core: CoreV1Api;
  watch: Watch;
  /** Per-request options (the request timeout). */
  callOptions: () => ConfigurationOptions;
  /** Where a request went, to say so when it fails. */
  scope: (what: string) => RequestScope;
}

/**
 * Follows a release's Deployments and pods with two watches until the rollout completes, fails,
 * runs out of time or is cancelled. Whatever the outcome, both watches are closed before the
 * promise settles.
 */
export function followRollout(
  clients: RolloutClients,
  selector: string,
  request: RolloutWaitRequest,
): Promise<RolloutProgressReport> {
  return new RolloutFollower(clients, selector, request).run();
}

class RolloutFollower {
  private readonly deployments: ListWatch<V1Deployment>;
  private readonly pods: ListWatch<V1Pod>;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Nothing is judged until the Deployments have been listed once. */
  private deploymentsListed = false;
  private settled = false;
  private lastMessage: string | undefined;
  private latest: RolloutProgress | undefined;
  private podCheck: Promise<void> | undefined;
  private podCheckAgain = false;
  private resolve!: (progress: RolloutProgressReport) => void;
  private reject!: (error: unknown) => void;
  private readonly namespace: string;

  constructor(
    private readonly clients: RolloutClients,
    private readonly selector: string,
    private readonly request: RolloutWaitRequest,
  ) {
    this.namespace = request.target.namespace;
    const query = { namespace: this.namespace, labelSelector: selector };
    const common = {
      watch: clients.watch,
      labelSelector: selector,
      onChange: () => {
        this.evaluate();
      },
      later: (action: () => void, ms: number) => {
        this.later(action, ms);
      },
    };
    this.deployments = new ListWatch<V1Deployment>({
      ...common,
      path: `/apis/apps/v1/namespaces/${this.namespace}/deployments`,
      list: () => clients.apps.listNamespacedDeployment(query, clients.callOptions()),
      onListed: () => {
        this.deploymentsListed = true;
        this.evaluate();
      },
      onListFailed: (error) => {
        this.failListing('deployments', error);
      },
    });
    this.pods = new ListWatch<V1Pod>({
      ...common,
      path: `/api/v1/namespaces/${this.namespace}/pods`,
      list: () => clients.core.listNamespacedPod(query, clients.callOptions()),
      onListed: () => {
        this.evaluate();
      },
      onListFailed: (error) => {
        this.failListing('pods', error);
      },
    });
  }

  run(): Promise<RolloutProgressReport> {
    const done = new Promise<RolloutProgressReport>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    const { signal, timeoutMs, release } = this.request;
    if (signal?.aborted) {
      this.onAbort();
      return done;
    }
    signal?.addEventListener('abort', this.onAbort, { once: true });
    this.later(() => {
      const where = this.latest ? ` (${this.latest.message})` : '';
      const pods = failingPods([...this.pods.objects.values()]);
      const seen = pods.length > 0 ? `; seen: ${describeFailingPods(pods)}` : '';
      this.fail(
        new DeployError(
          'TIMEOUT',
          `the rollout of ${release} in namespace ${this.namespace} did not complete within ${Math.ceil(timeoutMs / 1000)}s${where}${seen}`,
        ),
      );
    }, timeoutMs);
    void this.deployments.start();
    void this.pods.start();
    return done;
  }

  private readonly onAbort = () => {
    this.fail(
      new DeployError(
        'CANCELLED',
        `waiting for the rollout of ${this.request.release} was cancelled`,
      ),
    );
  };

  private failListing(kind: string, error: unknown): void {
    const what = `listing ${kind} of release ${this.request.release} in namespace ${this.namespace}`;
    this.fail(clusterError(error, this.clients.scope(what)));
  }

  private evaluate(): void {
    if (this.settled || !this.deploymentsListed) return;
    const rollouts = [...this.deployments.objects.values()].map(deploymentRollout);
    const progress = rolloutProgress(rollouts);
    this.latest = progress;
    const failed = rollouts.filter((rollout) => rollout.state === 'failed');
    if (failed.length > 0) {
      this.fail(
        new DeployError(
          'ROLLOUT_FAILED',
          `the rollout of ${this.request.release} failed: ${failed.map((rollout) => rollout.message).join('; ')}${this.failingPodsNote()}`,
        ),
      );
      return;
    }
    this.report(progress);
    if (rollouts.every((rollout) => rollout.state === 'complete')) {
      this.finish();
      this.resolve(report(progress));
      return;
    }
    if (failingPods([...this.pods.objects.values()]).length > 0) this.checkPods();
  }

  private failingPodsNote(): string {
    const pods = failingPods([...this.pods.objects.values()]);
    return pods.length > 0 ? `; ${describeFailingPods(pods)}` : '';
  }

  /**
   * Some pod is failing: find each Deployment's current ReplicaSet, so that only pods of the
   * revision being rolled out count (not the previous one's, on their way out).
   */
  private checkPods(): void {
    if (this.podCheck !== undefined) {
      this.podCheckAgain = true;
      return;
    }
    this.podCheck = this.findFailingPods()
      .then((failing) => {
        if (this.settled || failing.length === 0) return;
        this.fail(
          new DeployError(
            'ROLLOUT_FAILED',
            `the rollout of ${this.request.release} failed: ${describeFailingPods(failing)}`,
          ),
        );
      })
      .catch((error: unknown) => {
        this.failListing('replica sets', error);
      })
      .finally(() => {
        this.podCheck = undefined;
        if (this.podCheckAgain && !this.settled) {
          this.podCheckAgain = false;
          this.evaluate();
        }
      });
  }

  private async findFailingPods(): Promise<FailingPod[]> {
    const listed: Listed<V1ReplicaSet> = await this.clients.apps.listNamespacedReplicaSet(
      { namespace: this.namespace, labelSelector: this.selector },
      this.clients.callOptions(),
    );
    return currentRevisionFailingPods([...this.deployments.objects.values()], listed.items, [
      ...this.pods.objects.values(),
    ]);
  }

  private report(progress: RolloutProgress): void {
    if (progress.message === this.lastMessage) return;
    this.lastMessage = progress.message;
    this.request.onProgress?.(report(progress));
  }

  private later(action: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
  }

  private fail(error: unknown): void {
    if (this.settled) return;
    this.finish();
    this.reject(error);
  }

  /** Stops everything: timers, the abort listener and both watches. */
  private finish(): void {
    this.settled = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.request.signal?.removeEventListener('abort', this.onAbort);
    this.deployments.stop();
    this.pods.stop();
  }
}
