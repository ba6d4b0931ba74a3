import type { ResourceType } from '../resource-types.js';

/**
 * How a list field merges, from the Go struct tags of k8s.io/api:
 * `patchStrategy:"merge" patchMergeKey:"name"` for strategic merge patch, and
 * `listType=map` with `listMapKey` for server-side apply. A list not described here is atomic.
 */
export type ListKind =
  | {
      type: 'map';
      mergeKey: string;
      keys: readonly string[];
      keyDefaults?: Readonly<Record<string, string>>;
    }
  | { type: 'set' }
  | { type: 'atomic' };

const ATOMIC: ListKind = { type: 'atomic' };
const BY_NAME: ListKind = { type: 'map', mergeKey: 'name', keys: ['name'] };

const POD_SPEC_LISTS: Readonly<Partial<Record<string, ListKind>>> = {
  containers: BY_NAME,
  initContainers: BY_NAME,
  ephemeralContainers: BY_NAME,
  volumes: BY_NAME,
  imagePullSecrets: BY_NAME,
  resourceClaims: BY_NAME,
  schedulingGates: BY_NAME,
  hostAliases: { type: 'map', mergeKey: 'ip', keys: ['ip'] },
  topologySpreadConstraints: {
    type: 'map',
    mergeKey: 'topologyKey',
    keys: ['topologyKey', 'whenUnsatisfiable'],
  },
};

const CONTAINER_LISTS: Readonly<Partial<Record<string, ListKind>>> = {
  ports: {
    type: 'map',
    mergeKey: 'containerPort',
    keys: ['containerPort', 'protocol'],
    keyDefaults: { protocol: 'TCP' },
  },
  env: BY_NAME,
  volumeMounts: { type: 'map', mergeKey: 'mountPath', keys: ['mountPath'] },
  volumeDevices: { type: 'map', mergeKey: 'devicePath', keys: ['devicePath'] },
  resizePolicy: { type: 'map', mergeKey: 'resourceName', keys: ['resourceName'] },
};

const CONTAINER_LIST_NAMES = new Set(['containers', 'initContainers', 'ephemeralContainers']);

function endsWith(path: readonly string[], suffix: readonly string[]): boolean {
  if (suffix.length > path.length) return false;
  return suffix.every((part, index) => path[path.length - suffix.length + index] === part);
}

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((part, index) => path[index] === part);
}

/** `path` names fields from the object root, without list indices: `spec.template.spec.containers.ports`. */
export function listKindAt(type: ResourceType, path: readonly string[]): ListKind {
  const field = path.at(-1);
  if (field === undefined) return ATOMIC;
  const parent = path.slice(0, -1);
  if (parent.at(-1) === 'metadata') {
    if (field === 'finalizers') return { type: 'set' };
    if (field === 'ownerReferences') return { type: 'map', mergeKey: 'uid', keys: ['uid'] };
    return ATOMIC;
  }
  if (endsWith(path, ['status', 'conditions']))
    return { type: 'map', mergeKey: 'type', keys: ['type'] };
  if (type.kind === 'Node' && endsWith(path, ['status', 'addresses'])) {
    return { type: 'map', mergeKey: 'type', keys: ['type'] };
  }
  if (type.kind === 'Service' && path.join('.') === 'spec.ports') {
    return {
      type: 'map',
      mergeKey: 'port',
      keys: ['port', 'protocol'],
      keyDefaults: { protocol: 'TCP' },
    };
  }
  const podSpec = type.podSpecPath;
  if (podSpec !== undefined && startsWith(path, podSpec)) {
    const relative = path.slice(podSpec.length);
    if (relative.length === 1) return POD_SPEC_LISTS[field] ?? ATOMIC;
    if (relative.length === 2 && CONTAINER_LIST_NAMES.has(relative[0] ?? ''))
      return CONTAINER_LISTS[field] ?? ATOMIC;
  }
  return ATOMIC;
}
