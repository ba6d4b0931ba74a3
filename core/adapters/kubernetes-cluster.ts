import {
  ApiException,
  type ConfigurationOptions,
  type V1Ingress,
  type V1Node,
  type V1Pod,
  type V1Service,
} from '@kubernetes/client-node';
import { DeployError } from '../domain/deploy-error.js';
import type {
  Cluster,
  ClusterTarget,
  PodSummary,
  RolloutProgressReport,
  RolloutWaitRequest,
  ServiceAddress,
} from '../ports/cluster.js';
import { clusterError, type RequestScope } from './kubernetes/cluster-error.js';
import {
  createContextClients,
  requestTimeout,
  type ContextClients,
} from './kubernetes/context-clients.js';
import { podSummary } from './kubernetes/pod-summary.js';
import { followRollout } from './kubernetes/rollout-watch.js';
import { chooseAddress, needsNodes } from './kubernetes/service-address.js';

export interface KubernetesClusterOptions {
  /** The kubeconfig file; absent means client-node's default (KUBECONFIG, ~/.kube/config, in-cluster). */
  kubeconfigPath?: string;
  /** How long one API request may take; 15 s by default. */
  requestTimeoutMs?: number;
  /** Objects per list request; the rest follow with `continue`. 500 by default. */
  pageSize?: number;
}

/** A Helm release name as it appears in the app.kubernetes.io/instance label. */
const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;

interface PageRequest {
  limit: number;
  _continue?: string;
}

interface Page<T> {
  items: T[];
  metadata?: { _continue?: string };
}

type ReleaseQuery = PageRequest & { namespace: string; labelSelector: string };

/** The Cluster port on @kubernetes/client-node: one KubeConfig and set of clients per context. */
export class KubernetesCluster implements Cluster {
  private readonly clients = new Map<string, ContextClients>();
  private readonly timeoutMs: number;
  private readonly pageSize: number;

  constructor(private readonly options: KubernetesClusterOptions = {}) {
    this.timeoutMs = options.requestTimeoutMs ?? 15_000;
    this.pageSize = options.pageSize ?? 500;
  }

  async listPods(target: ClusterTarget, release: string): Promise<PodSummary[]> {
    const pods = await this.releasePods(target, release);
    return pods.map(podSummary).sort((a, b) => a.name.localeCompare(b.name));
  }

  async serviceAddress(
    target: ClusterTarget,
    release: string,
  ): Promise<ServiceAddress | undefined> {
    const clients = this.clientsFor(target);
    const [services, ingresses] = await Promise.all([
      this.listOfRelease<V1Service>(clients, 'services', target, release, (query, options) =>
        clients.core.listNamespacedService(query, options),
      ),
      this.listOfRelease<V1Ingress>(clients, 'ingresses', target, release, (query, options) =>
        clients.networking.listNamespacedIngress(query, options),
      ),
    ]);
    if (services.length === 0 && ingresses.length === 0) return undefined;
    const needs = needsNodes(services);
    const nodes = needs.nodes
      ? await this.listAll<V1Node>(clients, 'listing nodes', (page) =>
          clients.core.listNode(page, this.callOptions()),
        )
      : [];
    const podNodes = needs.podNodes
      ? new Set(
          (await this.releasePods(target, release)).flatMap((pod) => pod.spec?.nodeName ?? []),
        )
      : undefined;
    return chooseAddress({
      services,
      ingresses,
      nodes,
      ...(podNodes === undefined ? {} : { podNodes }),
    });
  }

  /** Follows the rollout with watches on the release's Deployments and pods (see RolloutWaiter). */
  async waitForRollout(request: RolloutWaitRequest): Promise<RolloutProgressReport> {
    const clients = this.clientsFor(request.target);
    const selector = instanceSelector(request.release);
    return followRollout(
      {
        apps: clients.apps,
        core: clients.core,
        watch: clients.watch,
        callOptions: () => this.callOptions(),
        scope: (what) => this.scope(clients, what),
      },
      selector,
      request,
    );
  }

  private async releasePods(target: ClusterTarget, release: string): Promise<V1Pod[]> {
    const clients = this.clientsFor(target);
    return this.listOfRelease<V1Pod>(clients, 'pods', target, release, (query, options) =>
      clients.core.listNamespacedPod(query, options),
    );
  }

  /** Every object of one kind that carries the release's label, in the target's namespace. */
  private listOfRelease<T>(
    clients: ContextClients,
    kind: string,
    target: ClusterTarget,
    release: string,
    list: (query: ReleaseQuery, options: ConfigurationOptions) => Promise<Page<T>>,
  ): Promise<T[]> {
    const { namespace } = target;
    const labelSelector = instanceSelector(release);
    return this.listAll<T>(
      clients,
      `listing ${kind} of release ${release} in namespace ${namespace}`,
      (page) => list({ namespace, labelSelector, ...page }, this.callOptions()),
    );
  }

  /**
   * Every page of a namespaced or cluster list. A namespace that does not exist has nothing in
   * it: 404 is an empty list, not an error.
   */
  private async listAll<T>(
    clients: ContextClients,
    what: string,
    list: (page: PageRequest) => Promise<Page<T>>,
  ): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined;
    try {
      do {
        const page = await list({
          limit: this.pageSize,
          ...(next === undefined ? {} : { _continue: next }),
        });
        items.push(...page.items);
        next = page.metadata?._continue === '' ? undefined : page.metadata?._continue;
      } while (next !== undefined);
    } catch (error) {
      if (error instanceof ApiException && error.code === 404) return [];
      throw clusterError(error, this.scope(clients, what));
    }
    return items;
  }

  private scope(clients: ContextClients, what: string): RequestScope {
    return {
      server: clients.server,
      context: clients.context,
      what,
      secrets: clients.secrets,
      timeoutMs: this.timeoutMs,
    };
  }

  /** Per call: abort a request that takes longer than the timeout. */
  private callOptions(): ConfigurationOptions {
    return requestTimeout(this.timeoutMs);
  }

  private clientsFor(target: ClusterTarget): ContextClients {
    const key = target.kubeContext ?? '';
    const cached = this.clients.get(key);
    if (cached !== undefined) return cached;
    const created = createContextClients(this.options.kubeconfigPath, target.kubeContext);
    this.clients.set(key, created);
    return created;
  }
}

function instanceSelector(release: string): string {
  if (!LABEL_VALUE.test(release)) {
    throw new DeployError(
      'CONFIG_INVALID',
      `${JSON.stringify(release)} is not a Helm release name (a label value: at most 63 letters, digits, '-', '_' or '.')`,
    );
  }
  return `app.kubernetes.io/instance=${release}`;
}
