import { objectsAt, stringAt } from '../json.js';
import type { KubeObject } from '../objects.js';

/** A pod counts toward a ReplicaSet until it is terminating or has finished. */
export function isActive(pod: KubeObject): boolean {
  const phase = stringAt(pod, 'status', 'phase');
  return (
    pod.metadata.deletionTimestamp === undefined && phase !== 'Succeeded' && phase !== 'Failed'
  );
}

export function isReady(pod: KubeObject): boolean {
  return objectsAt(pod, 'status', 'conditions').some(
    (condition) => condition.type === 'Ready' && condition.status === 'True',
  );
}
