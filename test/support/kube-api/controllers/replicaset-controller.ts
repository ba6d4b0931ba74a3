import { removeKey, clone, numberAt, objectAt, type JsonObject } from '../json.js';
import { controllerOf, type KubeObject } from '../objects.js';
import { labelSelectorFromObject, matchesLabels } from '../selectors.js';
import type { StoreEvent } from '../store.js';
import { recordEvent } from './events.js';
import { PODS, REPLICA_SETS } from './kinds.js';
import { isActive, isReady } from './pod-status.js';
import {
  CONTROLLER_MANAGER,
  keyOf,
  splitKey,
  WorkQueue,
  type ControllerRuntime,
} from './runtime.js';

/** Pods a ReplicaSet controls: matching its selector and carrying its controller reference. */
export function podsOf(runtime: ControllerRuntime, replicaSet: KubeObject): KubeObject[] {
  const selector = labelSelectorFromObject(objectAt(replicaSet, 'spec', 'selector')) ?? [];
  return runtime.api.store
    .list(PODS, replicaSet.metadata.namespace)
    .filter(
      (pod) =>
        controllerOf(pod)?.uid === replicaSet.metadata.uid &&
        matchesLabels(selector, pod.metadata.labels ?? {}),
    );
}

/** The ReplicaSet controller: keeps spec.replicas pods, named `<replicaset>-<5 chars>`, and reports status. */
export class ReplicaSetController {
  private readonly queue: WorkQueue;

  constructor(private readonly runtime: ControllerRuntime) {
    this.queue = new WorkQueue(runtime, (key) => {
      this.reconcile(key);
    });
  }

  onEvent(event: StoreEvent): void {
    if (event.resource === REPLICA_SETS && event.type !== 'DELETED')
      this.queue.add(keyOf(event.object));
    if (event.resource === PODS) {
      const owner = controllerOf(event.object);
      if (owner?.kind === 'ReplicaSet')
        this.queue.add(`${event.object.metadata.namespace ?? ''}/${owner.name}`);
    }
  }

  private reconcile(key: string): void {
    const { api } = this.runtime;
    const { namespace, name } = splitKey(key);
    const replicaSet = api.tryGet(REPLICA_SETS, namespace, name);
    if (replicaSet === undefined || replicaSet.metadata.deletionTimestamp !== undefined) return;
    const desired = numberAt(replicaSet, 'spec', 'replicas') ?? 1;
    const pods = podsOf(this.runtime, replicaSet);
    const active = pods.filter(isActive);
    const missing = desired - active.length;
    if (missing > 0) {
      for (let index = 0; index < missing; index += 1) this.createPod(replicaSet);
    } else if (missing < 0) {
      // Delete the least useful pods first: not ready before ready, newest before oldest.
      const victims = [...active]
        .sort(
          (a, b) =>
            Number(isReady(a)) - Number(isReady(b)) ||
            (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''),
        )
        .slice(0, -missing);
      for (const pod of victims) {
        api.delete(PODS, namespace, pod.metadata.name ?? '', { dryRun: false });
        recordEvent(api, replicaSet, {
          type: 'Normal',
          reason: 'SuccessfulDelete',
          message: `Deleted pod: ${pod.metadata.name ?? ''}`,
          component: 'replicaset-controller',
        });
      }
    }
    this.writeStatus(replicaSet);
  }

  private createPod(replicaSet: KubeObject): void {
    const { api } = this.runtime;
    const template = objectAt(replicaSet, 'spec', 'template') ?? {};
    const templateMetadata = objectAt(template, 'metadata') ?? {};
    const metadata: JsonObject = {
      ...clone(templateMetadata),
      generateName: `${replicaSet.metadata.name ?? ''}-`,
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: replicaSet.metadata.name ?? '',
          uid: replicaSet.metadata.uid ?? '',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    };
    delete metadata.name;
    delete metadata.namespace;
    const pod = api.create(
      PODS,
      replicaSet.metadata.namespace ?? '',
      { apiVersion: 'v1', kind: 'Pod', metadata, spec: clone(objectAt(template, 'spec') ?? {}) },
      CONTROLLER_MANAGER,
    );
    recordEvent(api, replicaSet, {
      type: 'Normal',
      reason: 'SuccessfulCreate',
      message: `Created pod: ${pod.metadata.name ?? ''}`,
      component: 'replicaset-controller',
    });
  }

  private writeStatus(replicaSet: KubeObject): void {
    const { api } = this.runtime;
    const live = api.tryGet(
      REPLICA_SETS,
      replicaSet.metadata.namespace ?? '',
      replicaSet.metadata.name ?? '',
    );
    if (live === undefined) return;
    const active = podsOf(this.runtime, live).filter(isActive);
    const ready = active.filter(isReady).length;
    const status: JsonObject = {
      replicas: active.length,
      fullyLabeledReplicas: active.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: live.metadata.generation ?? 1,
    };
    for (const field of ['readyReplicas', 'availableReplicas', 'fullyLabeledReplicas'])
      if (status[field] === 0) removeKey(status, field);
    const next = clone(live);
    next.status = status;
    api.update(REPLICA_SETS, live.metadata.namespace ?? '', live.metadata.name ?? '', next, {
      ...CONTROLLER_MANAGER,
      subresource: 'status',
    });
  }
}
