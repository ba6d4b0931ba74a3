import type { V1Deployment, V1ReplicaSet } from '@kubernetes/client-node';
import type { RolloutProgressReport } from '../../ports/cluster.js';

/** Where one Deployment's rollout stands. */
export interface DeploymentRollout {
  name: string;
  state: 'complete' | 'progressing' | 'failed';
  /** spec.replicas */
  desired: number;
  updated: number;
  ready: number;
  available: number;
  /** Pods of older ReplicaSets still running (status.replicas − updated). */
  old: number;
  /** Why it failed, or what it is waiting for, in words. */
  message: string;
}

const REVISION = 'deployment.kubernetes.io/revision';

/**
 * As `kubectl rollout status` judges it: the controller has seen the current spec
 * (observedGeneration ≥ generation), then every desired replica is updated, ready and available
 * and no old replica is left. A Progressing condition with ProgressDeadlineExceeded is a failure.
 */
export function deploymentRollout(deployment: V1Deployment): DeploymentRollout {
  const name = deployment.metadata?.name ?? '';
  const status = deployment.status;
  const desired = deployment.spec?.replicas ?? 1;
  const updated = status?.updatedReplicas ?? 0;
  const ready = status?.readyReplicas ?? 0;
  const available = status?.availableReplicas ?? 0;
  const old = Math.max(0, (status?.replicas ?? 0) - updated);
  const counts = { name, desired, updated, ready, available, old };

  const progressing = status?.conditions?.find((condition) => condition.type === 'Progressing');
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
    return {
      ...counts,
      state: 'failed',
      message: `Deployment ${name} exceeded its progress deadline${progressing.message ? `: ${progressing.message}` : ''}`,
    };
  }
  const generation = deployment.metadata?.generation ?? 0;
  if ((status?.observedGeneration ?? 0) < generation) {
    return {
      ...counts,
      state: 'progressing',
      message: `Deployment ${name}: waiting for the update to be seen`,
    };
  }
  if (updated < desired) {
    return {
      ...counts,
      state: 'progressing',
      message: `Deployment ${name}: ${updated}/${desired} updated`,
    };
  }
  if (old > 0) {
    return {
      ...counts,
      state: 'progressing',
      message: `Deployment ${name}: ${old} old replicas pending termination`,
    };
  }
  if (ready < desired || available < desired) {
    return {
      ...counts,
      state: 'progressing',
      message: `Deployment ${name}: ${Math.min(ready, available)}/${desired} ready`,
    };
  }
  return {
    ...counts,
    state: 'complete',
    message: `Deployment ${name}: ${desired}/${desired} ready`,
  };
}

/** The whole release's progress, summed over its Deployments, e.g. "2/3 ready". */
export interface RolloutProgress {
  desired: number;
  updated: number;
  ready: number;
  deployments: DeploymentRollout[];
  /** For people: "2/3 ready", with "(1 old)" while old replicas remain. */
  message: string;
}

export function rolloutProgress(deployments: readonly DeploymentRollout[]): RolloutProgress {
  const sorted = [...deployments].sort((a, b) => a.name.localeCompare(b.name));
  const sum = (pick: (rollout: DeploymentRollout) => number) =>
    sorted.reduce((total, rollout) => total + pick(rollout), 0);
  const desired = sum((rollout) => rollout.desired);
  const updated = sum((rollout) => rollout.updated);
  const ready = sum((rollout) => Math.min(rollout.ready, rollout.available, rollout.updated));
  const old = sum((rollout) => rollout.old);
  return {
    desired,
    updated,
    ready,
    deployments: sorted,
    message: `${ready}/${desired} ready${old > 0 ? ` (${old} old)` : ''}`,
  };
}

/**
 * The pod-template-hash of a Deployment's current ReplicaSet: the one it owns whose revision
 * annotation is the Deployment's. undefined until the controller has seen the current spec, or
 * when no such ReplicaSet exists yet.
 */
export function currentTemplateHash(
  deployment: V1Deployment,
  replicaSets: readonly V1ReplicaSet[],
): string | undefined {
  if ((deployment.status?.observedGeneration ?? 0) < (deployment.metadata?.generation ?? 0)) {
    return undefined;
  }
  const revision = deployment.metadata?.annotations?.[REVISION];
  const uid = deployment.metadata?.uid;
  if (revision === undefined || uid === undefined) return undefined;
  const current = replicaSets.find(
    (replicaSet) =>
      replicaSet.metadata?.annotations?.[REVISION] === revision &&
      (replicaSet.metadata.ownerReferences ?? []).some((owner) => owner.uid === uid),
  );
  return current?.metadata?.labels?.['pod-template-hash'];
}

/** A rollout's progress as the Cluster port reports it. */
export function report(progress: RolloutProgress): RolloutProgressReport {
  return {
    desired: progress.desired,
    updated: progress.updated,
    ready: progress.ready,
    message: progress.message,
  };
}
