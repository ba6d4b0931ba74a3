import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  NetworkingV1Api,
  Observable,
  type ConfigurationOptions,
  type ObservableMiddleware,
  type RequestContext,
  type ResponseContext,
  type V1Ingress,
  type V1Node,
  type V1Pod,
  type V1Service,
  Watch,
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
import { clusterError, displayServer, type RequestScope } from './kubernetes/cluster-error.js';
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

interface ContextClients {
  core: CoreV1Api;
  networking: NetworkingV1Api;
  apps: AppsV1Api;
  watch: Watch;
  server: string;
  context: string;
  secrets: string[];
}

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
    const selector = instanceSelector(release);
    const { namespace } = target;
    const [services, ingresses] = await Promise.all([
      this.listAll<V1Service>(
        clients,
        `listing services of release ${release} in namespace ${namespace}`,
        (page) =>
          clients.core.listNamespacedService(
            { namespace, labelSelector: selector, ...page },
            this.callOptions(),
          ),
      ),
      this.listAll<V1Ingress>(
        clients,
        `listing ingresses of release ${release} in namespace ${namespace}`,
        (page) =>
          clients.networking.listNamespacedIngress(
            { namespace, labelSelector: selector, ...page },
            this.callOptions(),
          ),
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
    const { namespace } = target;
    return this.listAll<V1Pod>(
      clients,
      `listing pods of release ${release} in namespace ${namespace}`,
      (page) =>
        clients.core.listNamespacedPod(
          { namespace, labelSelector: instanceSelector(release), ...page },
          this.callOptions(),
        ),
    );
  }

  /**
   * Every page of a namespaced or cluster list. A namespace that does not exist has nothing in
   * it: 404 is an empty list, not an error.
   */
  private async listAll<T>(
    clients: ContextClients,
    what: string,
    list: (page: {
      limit: number;
      _continue?: string;
    }) => Promise<{ items: T[]; metadata?: { _continue?: string } }>,
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
    const timeoutMs = this.timeoutMs;
    const timeout: ObservableMiddleware = {
      pre: (context: RequestContext) => {
        context.setSignal(AbortSignal.timeout(timeoutMs));
        return new Observable(Promise.resolve(context));
      },
      post: (context: ResponseContext) => new Observable(Promise.resolve(context)),
    };
    return { middleware: [timeout], middlewareMergeStrategy: 'append' };
  }

  private clientsFor(target: ClusterTarget): ContextClients {
    const key = target.kubeContext ?? '';
    const cached = this.clients.get(key);
    if (cached !== undefined) return cached;
    const created = this.createClients(target.kubeContext);
    this.clients.set(key, created);
    return created;
  }

  private kubeconfigSource(): string {
    return this.options.kubeconfigPath === undefined
      ? 'the default kubeconfig (KUBECONFIG, ~/.kube/config or in-cluster)'
      : `the kubeconfig at ${this.options.kubeconfigPath}`;
  }

  private loadKubeConfig(): KubeConfig {
    const config = new KubeConfig();
    try {
      if (this.options.kubeconfigPath === undefined) config.loadFromDefault();
      else config.loadFromFile(this.options.kubeconfigPath);
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).replace(
        /^Error: /,
        '',
      );
      throw new DeployError(
        'CLUSTER_UNAVAILABLE',
        `cannot read ${this.kubeconfigSource()}: ${reason}`,
        { cause: error },
      );
    }
    return config;
  }

  private createClients(kubeContext: string | undefined): ContextClients {
    const config = this.loadKubeConfig();
    const names = config.getContexts().map((context) => context.name);
    const listed =
      names.length === 0 ? 'it has no contexts' : `its contexts are: ${names.join(', ')}`;
    if (kubeContext !== undefined) {
      if (config.getContextObject(kubeContext) === null) {
        throw new DeployError(
          'CLUSTER_UNAVAILABLE',
          `kube context "${kubeContext}" is not in ${this.kubeconfigSource()}; ${listed}`,
        );
      }
      config.setCurrentContext(kubeContext);
    }
    const context = config.getCurrentContext();
    const cluster = config.getCurrentCluster();
    if (cluster === null) {
      const problem =
        context === '' || config.getContextObject(context) === null
          ? 'has no current context and none was named'
          : `names a cluster for context "${context}" that it does not define`;
      throw new DeployError(
        'CLUSTER_UNAVAILABLE',
        `${this.kubeconfigSource()} ${problem}; ${listed}`,
      );
    }
    const user = config.getCurrentUser();
    return {
      core: config.makeApiClient(CoreV1Api),
      networking: config.makeApiClient(NetworkingV1Api),
      apps: config.makeApiClient(AppsV1Api),
      watch: new Watch(config),
      server: displayServer(cluster.server),
      context,
      secrets: [user?.token, user?.password].filter(
        (secret): secret is string => secret !== undefined && secret !== '',
      ),
    };
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
