import type { V1ContainerStatus, V1Deployment, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import { currentTemplateHash } from './rollout-status.js';

/**
 * Container waiting reasons that mean the new pods will not become ready by waiting: the image
 * cannot be pulled, the container keeps crashing, or it cannot be created.
 */
export const FAILING_REASONS: ReadonlySet<string> = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'CrashLoopBackOff',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

/** A pod of the rollout that will not become ready, and why. */
export interface FailingPod {
  pod: string;
  container: string;
  /** e.g. CrashLoopBackOff, ImagePullBackOff */
  reason: string;
  /** The kubelet's message, when it gave one. */
  message?: string;
  /** The container's last exit code, for a crash loop. */
  exitCode?: number;
}

function failingContainer(pod: string, status: V1ContainerStatus): FailingPod | undefined {
  const waiting = status.state?.waiting;
  const reason = waiting?.reason;
  if (reason === undefined || !FAILING_REASONS.has(reason)) return undefined;
  const failing: FailingPod = { pod, container: status.name, reason };
  if (waiting?.message !== undefined && waiting.message !== '') failing.message = waiting.message;
  const exitCode = status.lastState?.terminated?.exitCode;
  if (exitCode !== undefined) failing.exitCode = exitCode;
  return failing;
}

/**
 * Pods that will not become ready, one entry per pod (its first failing container, init
 * containers first). Pods being deleted are left out (they are on their way out), and so, when
 * templateHash is given, are pods of other ReplicaSets (the previous revision's pods).
 */
export function failingPods(pods: readonly V1Pod[], templateHash?: string): FailingPod[] {
  const failing: FailingPod[] = [];
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp !== undefined) continue;
    if (
      templateHash !== undefined &&
      pod.metadata?.labels?.['pod-template-hash'] !== templateHash
    ) {
      continue;
    }
    const name = pod.metadata?.name ?? '';
    const statuses = [
      ...(pod.status?.initContainerStatuses ?? []),
      ...(pod.status?.containerStatuses ?? []),
    ];
    for (const status of statuses) {
      const found = failingContainer(name, status);
      if (found !== undefined) {
        failing.push(found);
        break;
      }
    }
  }
  return failing.sort((a, b) => a.pod.localeCompare(b.pod));
}

/** "pod web-1 (CrashLoopBackOff, exit code 1), pod web-2 (ImagePullBackOff: …)", at most `limit` named. */
export function describeFailingPods(pods: readonly FailingPod[], limit = 3): string {
  const named = pods.slice(0, limit).map((pod) => {
    const details = [
      pod.exitCode !== undefined && pod.exitCode !== 0 ? `exit code ${pod.exitCode}` : undefined,
    ].filter((detail) => detail !== undefined);
    const reason = [pod.reason, ...details].join(', ');
    return `pod ${pod.pod} (${reason}${pod.message ? `: ${pod.message}` : ''})`;
  });
  const more = pods.length > limit ? ` and ${pods.length - limit} more` : '';
  return `${named.join(', ')}${more}`;
}

/** The failing pods of each Deployment's current revision (not the previous one's, on their way out). */
export function currentRevisionFailingPods(
  deployments: readonly V1Deployment[],
  replicaSets: readonly V1ReplicaSet[],
  pods: readonly V1Pod[],
): FailingPod[] {
  return deployments.flatMap((deployment) => {
    const hash = currentTemplateHash(deployment, replicaSets);
    return hash === undefined ? [] : failingPods(pods, hash);
  });
}
