import type { KubeObject } from '../objects.js';
import { RESOURCE_TYPES, type ResourceType } from '../resource-types.js';
import type { StoreEvent } from '../store.js';
import { CONTROLLER_MANAGER, type ControllerRuntime } from './runtime.js';

interface Dependent {
  type: ResourceType;
  object: KubeObject;
}

/**
 * The garbage collector: when an owner is deleted its dependents (by ownerReferences uid) are
 * deleted too (Background); `foregroundDeletion` waits for them; `orphan` cuts the references.
 */
export class GarbageCollector {
  constructor(private readonly runtime: ControllerRuntime) {}

  onEvent(event: StoreEvent): void {
    const owner = event.object;
    // A dependent changing or going away may let a foreground owner finish.
    for (const reference of owner.metadata.ownerReferences ?? []) {
      if (event.type === 'DELETED' || owner.metadata.deletionTimestamp !== undefined) {
        this.runtime.later(0, () => {
          this.recheckOwner(reference.uid);
        });
      }
    }
    if (event.type === 'DELETED') {
      this.runtime.later(0, () => {
        this.deleteDependents(owner, 'Background');
      });
      return;
    }
    const finalizers = owner.metadata.finalizers ?? [];
    if (owner.metadata.deletionTimestamp === undefined) return;
    if (finalizers.includes('orphan')) {
      this.runtime.later(0, () => {
        this.orphan(event.resource, owner);
      });
    } else if (finalizers.includes('foregroundDeletion')) {
      this.runtime.later(0, () => {
        this.foreground(event.resource, owner);
      });
    }
  }

  private dependentsOf(uid: string | undefined): Dependent[] {
    if (uid === undefined) return [];
    const found: Dependent[] = [];
    for (const type of RESOURCE_TYPES) {
      for (const object of this.runtime.api.store.list(type)) {
        if ((object.metadata.ownerReferences ?? []).some((reference) => reference.uid === uid))
          found.push({ type, object });
      }
    }
    return found;
  }

  private deleteDependents(owner: KubeObject, policy: 'Background' | 'Foreground'): void {
    for (const { type, object } of this.dependentsOf(owner.metadata.uid)) {
      if (object.metadata.deletionTimestamp !== undefined) continue;
      this.runtime.guard(() => {
        this.runtime.api.delete(type, object.metadata.namespace ?? '', object.metadata.name ?? '', {
          dryRun: false,
          propagationPolicy: policy,
        });
      });
    }
  }

  private orphan(type: ResourceType, owner: KubeObject): void {
    const { api } = this.runtime;
    for (const dependent of this.dependentsOf(owner.metadata.uid)) {
      const next = structuredClone(dependent.object);
      next.metadata.ownerReferences = (next.metadata.ownerReferences ?? []).filter(
        (reference) => reference.uid !== owner.metadata.uid,
      );
      if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
      this.runtime.guard(() => {
        api.update(
          dependent.type,
          next.metadata.namespace ?? '',
          next.metadata.name ?? '',
          next,
          CONTROLLER_MANAGER,
        );
      });
    }
    api.removeFinalizer(type, owner, 'orphan');
  }

  private foreground(type: ResourceType, owner: KubeObject): void {
    const dependents = this.dependentsOf(owner.metadata.uid);
    if (dependents.length === 0) {
      this.runtime.api.removeFinalizer(type, owner, 'foregroundDeletion');
      return;
    }
    this.deleteDependents(owner, 'Foreground');
  }

  private recheckOwner(uid: string): void {
    for (const type of RESOURCE_TYPES) {
      const owner = this.runtime.api.store.list(type).find((object) => object.metadata.uid === uid);
      if (owner !== undefined && (owner.metadata.finalizers ?? []).includes('foregroundDeletion'))
        this.foreground(type, owner);
    }
  }
}
