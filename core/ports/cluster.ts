import type { ClusterTarget } from '../domain/catalog.js';

export type { ClusterTarget } from '../domain/catalog.js';

/** One pod, as a person reading `/status` needs it. */
export interface PodSummary {
  name: string;
  /** Pending | Running | Succeeded | Failed | Unknown */
  phase: string;
  readyContainers: number;
  totalContainers: number;
  /** Restarts summed over the pod's containers. */
  restarts: number;
  /** metadata.creationTimestamp, for the pod's age. */
  createdAt?: Date;
  /** spec.nodeName; absent while the pod is not scheduled. */
  node?: string;
  /**
   * Why the pod is not healthy, when there is a reason worth showing: a container's waiting or
   * terminated reason (CrashLoopBackOff, ImagePullBackOff, ErrImagePull, OOMKilled, …), an init
   * container's as `Init:<reason>`, the pod's own reason (Evicted) or `Unschedulable`.
   */
  problem?: string;
  /** The pod is being deleted (kubectl shows Terminating). */
  terminating?: boolean;
}

/** How to reach a release from outside the cluster, or, failing that, from inside it. */
export type ServiceAddress =
  | { kind: 'load-balancer'; host: string; port: number; url: string }
  /** host is a node's ExternalIP, else its InternalIP. */
  | { kind: 'node-port'; host: string; port: number; url: string }
  | { kind: 'ingress'; host: string; url: string }
  | { kind: 'cluster-ip'; host: string; port: number; url: string; internal: true };

/** What Harbormaster reads from Kubernetes. Failures are DeployError CLUSTER_UNAVAILABLE. */
export interface Cluster {
  /**
   * Pods of a Helm release: label app.kubernetes.io/instance=<release>. A namespace that does
   * not exist has no pods: [].
   */
  listPods(target: ClusterTarget, release: string): Promise<PodSummary[]>;
  /**
   * The release's address, from its Services and Ingresses (same label): a LoadBalancer's
   * ingress IP or hostname, else a NodePort on a node's ExternalIP or InternalIP, else the
   * Ingress host, else the ClusterIP (internal). undefined when the release has neither a
   * Service nor an Ingress with a host.
   */
  serviceAddress(target: ClusterTarget, release: string): Promise<ServiceAddress | undefined>;
  /** Follows the release's rollout until it completes or fails: see RolloutWaiter. */
  waitForRollout(request: RolloutWaitRequest): Promise<RolloutProgressReport>;
}

/** A rollout's progress, summed over the release's Deployments. */
export interface RolloutProgressReport {
  desired: number;
  updated: number;
  /** Updated replicas that are ready and available. */
  ready: number;
  /** For people: "2/3 ready", with "(1 old)" while the previous revision's pods remain. */
  message: string;
}

export interface RolloutWaitRequest {
  target: ClusterTarget;
  /** The Helm release: its Deployments carry app.kubernetes.io/instance=<release>. */
  release: string;
  /** Past it, DeployError TIMEOUT. */
  timeoutMs: number;
  /** Aborting it stops waiting: DeployError CANCELLED. */
  signal?: AbortSignal;
  /** Called when the progress changes, starting with where the rollout stands. */
  onProgress?: (progress: RolloutProgressReport) => void;
}

/** Following a rollout, as the Verify stage needs it. */
export interface RolloutWaiter {
  /**
   * Resolves once every Deployment of the release has seen its current spec and has all its
   * desired replicas updated, ready and available with no old replica left (a release without
   * a Deployment resolves at once). Rejects with DeployError ROLLOUT_FAILED, naming the pods and
   * their reason, as soon as a pod of the new revision cannot pull its image or crash-loops, or a
   * Deployment exceeds its progress deadline; TIMEOUT; CANCELLED; CLUSTER_UNAVAILABLE.
   */
  waitForRollout(request: RolloutWaitRequest): Promise<RolloutProgressReport>;
}
