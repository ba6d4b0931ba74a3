import { clone } from './json.js';
import type { KubeObject } from './objects.js';
import type { ResourceType } from './resource-types.js';

export type StoreEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change, as etcd's watch reports it: the object after the change (for DELETED, its last state). */
export interface StoreEvent {
  type: StoreEventType;
  resource: ResourceType;
  object: KubeObject;
  /** The object before the change, so selector watches can tell "stopped matching" apart. */
  previous: KubeObject | undefined;
  revision: number;
}

export type StoreListener = (event: StoreEvent) => void;

export interface ObjectStoreOptions {
  /** How many events are kept for watches that resume from a resourceVersion (etcd compaction). */
  historyLimit?: number;
  /** The first revision; real clusters are never at 0. */
  initialRevision?: number;
}

function keyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/**
 * Objects by resource, namespace and name, with one global revision counter like etcd's:
 * every write gets the next revision, which becomes the object's metadata.resourceVersion.
 */
export class ObjectStore {
  private revisionCounter: number;
  /** Watches must start at or after this revision; older ones get 410 Expired. */
  private compactedRevision: number;
  private readonly buckets = new Map<ResourceType, Map<string, KubeObject>>();
  private readonly history: StoreEvent[] = [];
  private readonly historyLimit: number;
  private readonly listeners = new Set<StoreListener>();

  constructor(options: ObjectStoreOptions = {}) {
    this.revisionCounter = options.initialRevision ?? 1000;
    this.compactedRevision = this.revisionCounter;
    this.historyLimit = options.historyLimit ?? 5000;
  }

  get revision(): number {
    return this.revisionCounter;
  }

  private bucket(type: ResourceType): Map<string, KubeObject> {
    let bucket = this.buckets.get(type);
    if (bucket === undefined) {
      bucket = new Map();
      this.buckets.set(type, bucket);
    }
    return bucket;
  }

  get(type: ResourceType, namespace: string, name: string): KubeObject | undefined {
    const found = this.bucket(type).get(keyOf(namespace, name));
    return found === undefined ? undefined : clone(found);
  }

  /** Objects in one namespace, or in all when `namespace` is undefined, sorted by namespace and name as etcd keys sort. */
  list(type: ResourceType, namespace?: string): KubeObject[] {
    const items = [...this.bucket(type).entries()]
      .filter(([, object]) => namespace === undefined || object.metadata.namespace === namespace)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, object]) => clone(object));
    return items;
  }

  /** Writes a new object; the caller has checked that the name is free. */
  create(type: ResourceType, object: KubeObject): KubeObject {
    const key = keyOf(object.metadata.namespace ?? '', object.metadata.name ?? '');
    if (this.bucket(type).has(key)) throw new Error(`store: ${type.plural} ${key} exists`);
    return this.write(type, key, object, 'ADDED', undefined);
  }

  /** Replaces an existing object; the caller has checked preconditions. */
  update(type: ResourceType, object: KubeObject): KubeObject {
    const key = keyOf(object.metadata.namespace ?? '', object.metadata.name ?? '');
    const previous = this.bucket(type).get(key);
    if (previous === undefined) throw new Error(`store: ${type.plural} ${key} does not exist`);
    return this.write(type, key, object, 'MODIFIED', previous);
  }

  remove(type: ResourceType, namespace: string, name: string): KubeObject | undefined {
    const key = keyOf(namespace, name);
    const previous = this.bucket(type).get(key);
    if (previous === undefined) return undefined;
    this.bucket(type).delete(key);
    const last = clone(previous);
    this.revisionCounter += 1;
    last.metadata.resourceVersion = String(this.revisionCounter);
    this.publish({
      type: 'DELETED',
      resource: type,
      object: last,
      previous,
      revision: this.revisionCounter,
    });
    return clone(last);
  }

  private write(
    type: ResourceType,
    key: string,
    object: KubeObject,
    eventType: StoreEventType,
    previous: KubeObject | undefined,
  ): KubeObject {
    this.revisionCounter += 1;
    const stored = clone(object);
    stored.metadata.resourceVersion = String(this.revisionCounter);
    this.bucket(type).set(key, stored);
    this.publish({
      type: eventType,
      resource: type,
      object: clone(stored),
      previous,
      revision: this.revisionCounter,
    });
    return clone(stored);
  }

  private publish(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      const newestDropped = dropped.at(-1);
      if (newestDropped !== undefined) this.compactedRevision = newestDropped.revision;
    }
    for (const listener of [...this.listeners]) listener(event);
  }

  /**
   * Events after `revision`, or `undefined` when that revision has been compacted away
   * (the API server then answers 410 Gone / Expired).
   */
  eventsSince(revision: number): StoreEvent[] | undefined {
    if (revision < this.compactedRevision) return undefined;
    return this.history.filter((event) => event.revision > revision);
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
