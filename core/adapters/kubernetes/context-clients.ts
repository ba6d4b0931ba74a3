import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  NetworkingV1Api,
  Observable,
  Watch,
  type ConfigurationOptions,
  type ObservableMiddleware,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';
import { DeployError } from '../../domain/deploy-error.js';
import { displayServer } from './cluster-error.js';

/** The clients for one kube context, and what its errors name (never its credentials). */
export interface ContextClients {
  core: CoreV1Api;
  networking: NetworkingV1Api;
  apps: AppsV1Api;
  watch: Watch;
  server: string;
  context: string;
  secrets: string[];
}

function kubeconfigSource(kubeconfigPath: string | undefined): string {
  return kubeconfigPath === undefined
    ? 'the default kubeconfig (KUBECONFIG, ~/.kube/config or in-cluster)'
    : `the kubeconfig at ${kubeconfigPath}`;
}

function loadKubeConfig(kubeconfigPath: string | undefined): KubeConfig {
  const config = new KubeConfig();
  try {
    if (kubeconfigPath === undefined) config.loadFromDefault();
    else config.loadFromFile(kubeconfigPath);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).replace(/^Error: /, '');
    throw new DeployError(
      'CLUSTER_UNAVAILABLE',
      `cannot read ${kubeconfigSource(kubeconfigPath)}: ${reason}`,
      { cause: error },
    );
  }
  return config;
}

/**
 * Clients for a kube context of the kubeconfig (its current one when none is named). A context
 * or cluster it does not define is CLUSTER_UNAVAILABLE, naming the contexts it has.
 */
export function createContextClients(
  kubeconfigPath: string | undefined,
  kubeContext: string | undefined,
): ContextClients {
  const config = loadKubeConfig(kubeconfigPath);
  const source = kubeconfigSource(kubeconfigPath);
  const names = config.getContexts().map((context) => context.name);
  const listed =
    names.length === 0 ? 'it has no contexts' : `its contexts are: ${names.join(', ')}`;
  if (kubeContext !== undefined) {
    if (config.getContextObject(kubeContext) === null) {
      throw new DeployError(
        'CLUSTER_UNAVAILABLE',
        `kube context "${kubeContext}" is not in ${source}; ${listed}`,
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
    throw new DeployError('CLUSTER_UNAVAILABLE', `${source} ${problem}; ${listed}`);
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

/** Per call: abort a request that takes longer than `timeoutMs`. */
export function requestTimeout(timeoutMs: number): ConfigurationOptions {
  const timeout: ObservableMiddleware = {
    pre: (context: RequestContext) => {
      context.setSignal(AbortSignal.timeout(timeoutMs));
      return new Observable(Promise.resolve(context));
    },
    post: (context: ResponseContext) => new Observable(Promise.resolve(context)),
  };
  return { middleware: [timeout], middlewareMergeStrategy: 'append' };
}
