import type { TestGateConfig } from './test-gate.js';

/**
 * The service catalog as the product uses it: what may be deployed, where, and by whom. Loaded
 * and checked by core/config.ts; everything else reads it through these types.
 */

/** The registry images are pushed to; credentials come from the environment, never the catalog. */
export interface RegistryConfig {
  host: string;
  repositoryPrefix?: string;
  credentials?: { username: string; password: string };
}

/** Who may act on an environment: listed users, members of listed user groups, or everyone. */
export interface Deployers {
  users: string[];
  userGroups: string[];
  everyone: boolean;
}

export interface EnvironmentConfig {
  name: string;
  namespace: string;
  kubeContext?: string;
  deployers: Deployers;
  /** The refs deployed here: glob patterns (core/domain/ref-policy.ts), e.g. `v*` or `refs/tags/v*`. */
  refs: readonly string[];
  /** Whether a full commit id may be deployed here (they match no pattern). */
  allowCommits: boolean;
}

export type ServiceSource = { kind: 'path'; path: string } | { kind: 'git'; url: string };

export type { TestGateConfig } from './test-gate.js';

export interface ServiceConfig {
  name: string;
  source: ServiceSource;
  defaultRef: string;
  test: TestGateConfig;
  /** Relative to the source directory. */
  dockerfile: string;
  buildArgs: Record<string, string>;
  chartPath: string;
  release: string;
  /** Absolute values-file paths per environment name. */
  valuesFiles: Record<string, string[]>;
}

export interface NotificationsConfig {
  failureChannel: string;
  mention: { users: string[]; userGroups: string[] };
}

export interface Catalog {
  file: string;
  environments: Record<string, EnvironmentConfig>;
  services: Record<string, ServiceConfig>;
  notifications?: NotificationsConfig;
}

/** Where a release lives: a namespace, in the kubeconfig's current context unless one is named. */
export interface ClusterTarget {
  namespace: string;
  /** A context of the kubeconfig (as helm's --kube-context); absent means its current context. */
  kubeContext?: string;
}

/** A release in a cluster: its name, namespace and, optionally, the kubeconfig context. */
export interface ReleaseRef extends ClusterTarget {
  release: string;
}

/** The cluster an environment deploys to. */
export function clusterTargetOf(
  environment: Pick<EnvironmentConfig, 'namespace' | 'kubeContext'>,
): ClusterTarget {
  return {
    namespace: environment.namespace,
    ...(environment.kubeContext === undefined ? {} : { kubeContext: environment.kubeContext }),
  };
}

/** A service's Helm release in an environment. */
export function releaseOf(
  service: Pick<ServiceConfig, 'release'>,
  environment: Pick<EnvironmentConfig, 'namespace' | 'kubeContext'>,
): ReleaseRef {
  return { release: service.release, ...clusterTargetOf(environment) };
}
