import type { KubeObject } from '../../support/kube-api/objects.js';
import { resourceTypeFor } from '../../support/kube-api/resource-types.js';
import { ObjectStore, type StoreEvent } from '../../support/kube-api/store.js';

const configMaps = resourceTypeFor('', 'configmaps');

function configMap(
  name: string,
  namespace = 'team-a',
  data: Record<string, string> = {},
): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data };
}

describe('object store', () => {
  it('gives every write the next revision of one global counter, as etcd does', () => {
    const store = new ObjectStore({ initialRevision: 100 });
    const first = store.create(configMaps, configMap('a'));
    const second = store.create(configMaps, configMap('b', 'team-b'));
    const updated = store.update(configMaps, { ...first, data: { k: 'v' } });
    expect([first, second, updated].map((object) => object.metadata.resourceVersion)).toEqual([
      '101',
      '102',
      '103',
    ]);
    expect(store.revision).toBe(103);
    const removed = store.remove(configMaps, 'team-a', 'a');
    expect(removed?.metadata.resourceVersion).toBe('104');
    expect(store.get(configMaps, 'team-a', 'a')).toBeUndefined();
  });

  it('lists one namespace or all, sorted by namespace and name', () => {
    const store = new ObjectStore();
    store.create(configMaps, configMap('z', 'team-b'));
    store.create(configMaps, configMap('b'));
    store.create(configMaps, configMap('a'));
    expect(store.list(configMaps, 'team-a').map((object) => object.metadata.name)).toEqual([
      'a',
      'b',
    ]);
    expect(
      store
        .list(configMaps)
        .map((object) => `${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`),
    ).toEqual(['team-a/a', 'team-a/b', 'team-b/z']);
  });

  it('hands out copies, so callers cannot change stored objects', () => {
    const store = new ObjectStore();
    const created = store.create(configMaps, configMap('a', 'team-a', { k: 'v' }));
    (created.data as Record<string, string>).k = 'changed';
    expect(store.get(configMaps, 'team-a', 'a')?.data).toEqual({ k: 'v' });
  });

  it('fans events out to subscribers with the previous state, and keeps history to resume from', () => {
    const store = new ObjectStore({ initialRevision: 10 });
    const seen: StoreEvent[] = [];
    const unsubscribe = store.subscribe((event) => seen.push(event));
    const created = store.create(configMaps, configMap('a'));
    store.update(configMaps, { ...created, data: { k: 'v' } });
    store.remove(configMaps, 'team-a', 'a');
    unsubscribe();
    store.create(configMaps, configMap('b'));
    expect(seen.map((event) => [event.type, event.revision])).toEqual([
      ['ADDED', 11],
      ['MODIFIED', 12],
      ['DELETED', 13],
    ]);
    expect(seen[1]?.previous?.data).toEqual({});
    expect(store.eventsSince(12)?.map((event) => event.revision)).toEqual([13, 14]);
  });

  it('forgets events past its history limit, so an old resourceVersion has expired', () => {
    const store = new ObjectStore({ initialRevision: 0, historyLimit: 2 });
    for (const name of ['a', 'b', 'c', 'd']) store.create(configMaps, configMap(name));
    expect(store.eventsSince(1)).toBeUndefined();
    expect(store.eventsSince(2)?.map((event) => event.revision)).toEqual([3, 4]);
  });

  it('refuses to create over an existing object or update a missing one', () => {
    const store = new ObjectStore();
    store.create(configMaps, configMap('a'));
    expect(() => store.create(configMaps, configMap('a'))).toThrow();
    expect(() => store.update(configMaps, configMap('missing'))).toThrow();
  });
});
