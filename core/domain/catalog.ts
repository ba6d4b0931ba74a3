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
  /** Who may see its pods with /status; its deployers when absent. */
  viewers?: Deployers;
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

/** How much of the queue one person, or one release, may take. */
export interface Limits {
  /** Deploy commands one person may send within a minute. */
  deploysPerPersonPerMinute: number;
  /** Deploys of one release (in one environment) queued and not yet running. */
  queuedDeploysPerRelease: number;
}

export const DEFAULT_LIMITS: Limits = { deploysPerPersonPerMinute: 10, queuedDeploysPerRelease: 3 };

/**
 * Who from outside the workspace may use Harbormaster at all, on a chat surface that has guests
 * and other workspaces (Slack: guests, and people of another workspace in a Slack Connect channel).
 */
export interface Access {
  guests: boolean;
  /** Other workspaces (Slack team ids) whose people are treated as the workspace's own. */
  otherWorkspaces: string[];
}

export const DEFAULT_ACCESS: Access = { guests: false, otherWorkspaces: [] };

export interface Catalog {
  file: string;
  environments: Record<string, EnvironmentConfig>;
  services: Record<string, ServiceConfig>;
  notifications?: NotificationsConfig;
  /** DEFAULT_LIMITS when absent. */
  limits?: Limits;
  /** DEFAULT_ACCESS when absent. */
  access?: Access;
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

/**
 * A catalog entry by name, own properties only: a name a person typed or a job carried
 * (`constructor`, `__proto__`, `toString`) never reaches an object's prototype.
 */
export function namedEntry<T>(entries: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(entries, name) ? entries[name] : undefined;
}

/** The service of that name in the catalog, if it has one. */
export function serviceNamed(
  catalog: Pick<Catalog, 'services'>,
  name: string,
): ServiceConfig | undefined {
  return namedEntry(catalog.services, name);
}

/** The environment of that name in the catalog, if it has one. */
export function environmentNamed(
  catalog: Pick<Catalog, 'environments'>,
  name: string,
): EnvironmentConfig | undefined {
  return namedEntry(catalog.environments, name);
}
