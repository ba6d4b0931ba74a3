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
import { describeFailingPods, failingPods, type FailingPod } from './rollout-pods.js';
import {
  currentTemplateHash,
  deploymentRollout,
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

/** How long to wait before watching again when the server ends a watch. */
const REWATCH_DELAY_MS = 200;

interface WatchEvent {
  type: string;
  object: unknown;
}

interface Listed<T> {
  items: T[];
  metadata?: { resourceVersion?: string };
}

type Kind = 'deployments' | 'pods';

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
  private readonly deployments = new Map<string, V1Deployment>();
  private readonly pods = new Map<string, V1Pod>();
  private readonly watches = new Map<Kind, Promise<AbortController | undefined>>();
  private readonly generation = new Map<Kind, number>();
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
  }

  run(): Promise<RolloutProgressReport> {
    const done = new Promise<RolloutProgressReport>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    const { signal, timeoutMs, release } = this.request;
    if (signal?.aborted) {
      this.fail(
        new DeployError('CANCELLED', `waiting for the rollout of ${release} was cancelled`),
      );
      return done;
    }
    signal?.addEventListener('abort', this.onAbort, { once: true });
    this.later(() => {
      const where = this.latest ? ` (${this.latest.message})` : '';
      const pods = failingPods([...this.pods.values()]);
      const seen = pods.length > 0 ? `; seen: ${describeFailingPods(pods)}` : '';
      this.fail(
        new DeployError(
          'TIMEOUT',
          `the rollout of ${release} in namespace ${this.namespace} did not complete within ${Math.ceil(timeoutMs / 1000)}s${where}${seen}`,
        ),
      );
    }, timeoutMs);
    void this.start('deployments');
    void this.start('pods');
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

  /** List, then watch from the list's resourceVersion; again whenever the watch ends. */
  private async start(kind: Kind): Promise<void> {
    if (this.settled) return;
    const generation = (this.generation.get(kind) ?? 0) + 1;
    this.generation.set(kind, generation);
    let resourceVersion: string | undefined;
    try {
      resourceVersion = await this.list(kind);
    } catch (error) {
      this.fail(
        clusterError(
          error,
          this.clients.scope(
            `listing ${kind} of release ${this.request.release} in namespace ${this.namespace}`,
          ),
        ),
      );
      return;
    }
    if (this.isSettled() || this.generation.get(kind) !== generation) return;
    if (kind === 'deployments') this.deploymentsListed = true;
    this.evaluate();
    if (this.isSettled()) return;
    const path =
      kind === 'deployments'
        ? `/apis/apps/v1/namespaces/${this.namespace}/deployments`
        : `/api/v1/namespaces/${this.namespace}/pods`;
    const controller = this.clients.watch
      .watch(
        path,
        {
          labelSelector: this.selector,
          allowWatchBookmarks: true,
          ...(resourceVersion ? { resourceVersion } : {}),
        },
        (type: string, object: unknown) => {
          this.onEvent(kind, { type, object });
        },
        () => {
          // The server ended the watch (or it failed): list and watch again, unless done.
          if (this.settled || this.generation.get(kind) !== generation) return;
          this.later(() => void this.start(kind), REWATCH_DELAY_MS);
        },
      )
      .catch(() => undefined);
    // finish() closes it, as soon as it is open if it is still connecting.
    this.watches.set(kind, controller);
  }

  private async list(kind: Kind): Promise<string | undefined> {
    const query = { namespace: this.namespace, labelSelector: this.selector };
    if (kind === 'deployments') {
      const listed: Listed<V1Deployment> = await this.clients.apps.listNamespacedDeployment(
        query,
        this.clients.callOptions(),
      );
      replaceAll(this.deployments, listed.items);
      return listed.metadata?.resourceVersion;
    }
    const listed: Listed<V1Pod> = await this.clients.core.listNamespacedPod(
      query,
      this.clients.callOptions(),
    );
    replaceAll(this.pods, listed.items);
    return listed.metadata?.resourceVersion;
  }

  private onEvent(kind: Kind, event: WatchEvent): void {
    if (this.settled) return;
    if (event.type === 'ERROR') {
      // e.g. 410 Gone: the resourceVersion is too old. List afresh and watch again.
      const watch = this.watches.get(kind);
      this.generation.set(kind, (this.generation.get(kind) ?? 0) + 1);
      void watch?.then((opened) => opened?.abort());
      this.later(() => void this.start(kind), REWATCH_DELAY_MS);
      return;
    }
    if (event.type === 'BOOKMARK') return;
    // Watch events carry the object as the API's JSON; the fields read here are plain values.
    const object = event.object as V1Deployment | V1Pod;
    const name = object.metadata?.name ?? '';
    const store: Map<string, V1Deployment | V1Pod> =
      kind === 'deployments' ? this.deployments : this.pods;
    if (event.type === 'DELETED') store.delete(name);
    else store.set(name, object);
    this.evaluate();
  }

  private evaluate(): void {
    if (this.settled || !this.deploymentsListed) return;
    const rollouts = [...this.deployments.values()].map(deploymentRollout);
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
    if (failingPods([...this.pods.values()]).length > 0) this.checkPods();
  }

  private failingPodsNote(): string {
    const pods = failingPods([...this.pods.values()]);
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
        this.fail(
          clusterError(
            error,
            this.clients.scope(
              `listing replica sets of release ${this.request.release} in namespace ${this.namespace}`,
            ),
          ),
        );
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
    const pods = [...this.pods.values()];
    return [...this.deployments.values()].flatMap((deployment) => {
      const hash = currentTemplateHash(deployment, listed.items);
      return hash === undefined ? [] : failingPods(pods, hash);
    });
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

  /** Read through a call: it changes while a request is awaited. */
  private isSettled(): boolean {
    return this.settled;
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
    for (const watch of this.watches.values()) void watch.then((opened) => opened?.abort());
  }
}

function replaceAll<T extends { metadata?: { name?: string } }>(
  store: Map<string, T>,
  items: readonly T[],
): void {
  store.clear();
  for (const item of items) store.set(item.metadata?.name ?? '', item);
}

function report(progress: RolloutProgress): RolloutProgressReport {
  return {
    desired: progress.desired,
    updated: progress.updated,
    ready: progress.ready,
    message: progress.message,
  };
}
