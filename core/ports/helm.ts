import type { ReleaseRef } from '../domain/catalog.js';

export type { ReleaseRef } from '../domain/catalog.js';

export interface TemplateRequest {
  release: string;
  chartPath: string;
  namespace: string;
  valuesFiles?: readonly string[];
  /** Set as strings (--set-string), so a tag such as 1.10 stays "1.10". */
  setStrings?: Readonly<Record<string, string>>;
}

/** What a long helm command may be given: a time limit, a cancel signal, its output line by line. */
export interface HelmRunControl {
  /** How long helm may take (also its --timeout for hooks); past it, TIMEOUT. */
  timeoutMs: number;
  /** Aborting it stops helm: CANCELLED. */
  signal?: AbortSignal;
  /** Each line helm prints (stdout and stderr), as it arrives. */
  onLine?: (line: string) => void;
}

/**
 * `helm upgrade --install`: applies the chart and records a new revision. It does not wait for
 * the rollout (no --wait): follow it with Cluster.waitForRollout, so that a rollout that fails
 * is told apart from helm failing, and the pods that fail are named.
 */
export interface UpgradeInstallRequest extends ReleaseRef, HelmRunControl {
  chartPath: string;
  valuesFiles?: readonly string[];
  /** Set as strings (--set-string), e.g. image.repository, image.tag. Keys are value paths. */
  setStrings?: Readonly<Record<string, string>>;
}

export interface RollbackRequest extends ReleaseRef, HelmRunControl {
  /** The revision to go back to; rolling back records a new revision. */
  revision: number;
}

/** One revision of a release, as `helm history` lists it. */
export interface ReleaseRevision {
  revision: number;
  /** deployed | superseded | failed | pending-install | pending-upgrade | pending-rollback | uninstalled | … */
  status: string;
  /** Chart name and version, e.g. hello-world-0.1.0. */
  chart: string;
  appVersion: string;
  /** e.g. "Install complete", "Upgrade complete", "Rollback to 1". */
  description: string;
  updatedAt?: Date;
}

/** The release as it stands: its current revision. */
export interface ReleaseStatus {
  release: string;
  namespace: string;
  revision: number;
  status: string;
  description: string;
}

/** The helm command line, as the pipeline needs it. Failures are DeployError HELM_FAILED. */
export interface Helm {
  /** helm's version, e.g. v4.1.4 */
  version(): Promise<string>;
  /** The manifests a release would apply, rendered without a cluster. */
  template(request: TemplateRequest): Promise<string>;
  /** Installs or upgrades the release (creating the namespace); resolves to the new revision. */
  upgradeInstall(request: UpgradeInstallRequest): Promise<number>;
  /** Revisions, oldest first; [] when the release does not exist. */
  history(release: ReleaseRef): Promise<ReleaseRevision[]>;
  /** Rolls back to a revision; resolves to the new revision that records it. */
  rollback(request: RollbackRequest): Promise<number>;
  /** The release's current revision; undefined when the release does not exist. */
  status(release: ReleaseRef): Promise<ReleaseStatus | undefined>;
  /** Removes the release (a first install undone, a never-deployed one cleared). */
  uninstall(release: ReleaseRef & HelmRunControl): Promise<void>;
  /** The values a revision was installed with (`helm get values`), e.g. image.repository. */
  values(release: ReleaseRef, revision: number): Promise<Record<string, unknown>>;
}
