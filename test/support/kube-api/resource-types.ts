import { booleanAt, numberAt, stringAt } from './json.js';
import type { KubeObject } from './objects.js';

export type Verb =
  'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';

/** Reads the value a field selector compares against, e.g. `status.phase` of a Pod. */
export type FieldLabel = (object: KubeObject) => string | undefined;

/** One resource the double serves, with the facts discovery publishes and the API layer obeys. */
export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: readonly string[];
  categories: readonly string[];
  verbs: readonly Verb[];
  /** `status` splits spec and status writes, as the real registry strategies do. */
  subresources: readonly 'status'[];
  /** metadata.generation is set on create and bumped on any change outside metadata and status. */
  tracksGeneration: boolean;
  /** Field labels beyond metadata.name and metadata.namespace that field selectors accept. */
  fieldLabels: Readonly<Partial<Record<string, FieldLabel>>>;
  /** Where the PodSpec sits, for list-merge keys in patches. */
  podSpecPath?: readonly string[];
}

export function apiVersionOf(type: ResourceType): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

const ALL_VERBS: readonly Verb[] = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];
const NO_COLLECTION_DELETE: readonly Verb[] = [
  'create',
  'delete',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

function text(value: string | number | boolean | undefined): string | undefined {
  return value === undefined ? undefined : String(value);
}

function define(
  partial: Pick<ResourceType, 'group' | 'version' | 'kind' | 'plural' | 'namespaced'> &
    Partial<ResourceType>,
): ResourceType {
  return {
    listKind: `${partial.kind}List`,
    singular: partial.kind.toLowerCase(),
    shortNames: [],
    categories: [],
    verbs: ALL_VERBS,
    subresources: [],
    tracksGeneration: false,
    fieldLabels: {},
    ...partial,
  };
}

/** The resources the double serves; discovery, routing and validation all read this table. */
export const RESOURCE_TYPES: readonly ResourceType[] = [
  define({
    group: '',
    version: 'v1',
    kind: 'Namespace',
    plural: 'namespaces',
    namespaced: false,
    shortNames: ['ns'],
    verbs: NO_COLLECTION_DELETE,
    subresources: ['status'],
    fieldLabels: { 'status.phase': (o) => stringAt(o, 'status', 'phase') },
  }),
  define({
    group: '',
    version: 'v1',
    kind: 'Node',
    plural: 'nodes',
    namespaced: false,
    shortNames: ['no'],
    subresources: ['status'],
    fieldLabels: {
      'spec.unschedulable': (o) => text(booleanAt(o, 'spec', 'unschedulable') ?? false),
    },
  }),
  define({
    group: '',
    version: 'v1',
    kind: 'Pod',
    plural: 'pods',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    subresources: ['status'],
    tracksGeneration: true,
    podSpecPath: ['spec'],
    fieldLabels: {
      'spec.nodeName': (o) => stringAt(o, 'spec', 'nodeName') ?? '',
      'spec.restartPolicy': (o) => stringAt(o, 'spec', 'restartPolicy'),
      'spec.schedulerName': (o) => stringAt(o, 'spec', 'schedulerName'),
      'spec.serviceAccountName': (o) => stringAt(o, 'spec', 'serviceAccountName'),
      'spec.hostNetwork': (o) => text(booleanAt(o, 'spec', 'hostNetwork') ?? false),
      'status.phase': (o) => stringAt(o, 'status', 'phase') ?? '',
      'status.podIP': (o) => stringAt(o, 'status', 'podIP') ?? '',
      'status.nominatedNodeName': (o) => stringAt(o, 'status', 'nominatedNodeName') ?? '',
    },
  }),
  define({
    group: '',
    version: 'v1',
    kind: 'Service',
    plural: 'services',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
    subresources: ['status'],
  }),
  define({
    group: '',
    version: 'v1',
    kind: 'Endpoints',
    listKind: 'EndpointsList',
    singular: 'endpoints',
    plural: 'endpoints',
    namespaced: true,
    shortNames: ['ep'],
  }),
  define({
    group: '',
    version: 'v1',
    kind: 'Secret',
    plural: 'secrets',
    namespaced: true,
    fieldLabels: { type: (o) => stringAt(o, 'type') },
  }),
  define({
    group: '',
    version: 'v1',
    kind: 'ConfigMap',
    plural: 'configmaps',
    namespaced: true,
    shortNames: ['cm'],
  }),
  define({
    group: '',
    version: 'v1',
    kind: 'ServiceAccount',
    plural: 'serviceaccounts',
    namespaced: true,
    shortNames: ['sa'],
  }),
  define({
    group: '',
    version: 'v1',
    kind: 'Event',
    plural: 'events',
    namespaced: true,
    shortNames: ['ev'],
    fieldLabels: {
      'involvedObject.kind': (o) => stringAt(o, 'involvedObject', 'kind') ?? '',
      'involvedObject.namespace': (o) => stringAt(o, 'involvedObject', 'namespace') ?? '',
      'involvedObject.name': (o) => stringAt(o, 'involvedObject', 'name') ?? '',
      'involvedObject.uid': (o) => stringAt(o, 'involvedObject', 'uid') ?? '',
      'involvedObject.apiVersion': (o) => stringAt(o, 'involvedObject', 'apiVersion') ?? '',
      'involvedObject.resourceVersion': (o) =>
        stringAt(o, 'involvedObject', 'resourceVersion') ?? '',
      'involvedObject.fieldPath': (o) => stringAt(o, 'involvedObject', 'fieldPath') ?? '',
      reason: (o) => stringAt(o, 'reason') ?? '',
      reportingComponent: (o) => stringAt(o, 'reportingComponent') ?? '',
      source: (o) => stringAt(o, 'source', 'component') ?? '',
      type: (o) => stringAt(o, 'type') ?? '',
    },
  }),
  define({
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    plural: 'deployments',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: ['status'],
    tracksGeneration: true,
    podSpecPath: ['spec', 'template', 'spec'],
  }),
  define({
    group: 'apps',
    version: 'v1',
    kind: 'ReplicaSet',
    plural: 'replicasets',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
    subresources: ['status'],
    tracksGeneration: true,
    podSpecPath: ['spec', 'template', 'spec'],
    fieldLabels: { 'status.replicas': (o) => text(numberAt(o, 'status', 'replicas') ?? 0) },
  }),
  define({
    group: 'autoscaling',
    version: 'v2',
    kind: 'HorizontalPodAutoscaler',
    plural: 'horizontalpodautoscalers',
    namespaced: true,
    shortNames: ['hpa'],
    categories: ['all'],
    subresources: ['status'],
  }),
  define({
    group: 'policy',
    version: 'v1',
    kind: 'PodDisruptionBudget',
    plural: 'poddisruptionbudgets',
    namespaced: true,
    shortNames: ['pdb'],
    subresources: ['status'],
    tracksGeneration: true,
  }),
  // RBAC objects are stored and served, never enforced (see README: Known gaps).
  define({
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind: 'Role',
    plural: 'roles',
    namespaced: true,
  }),
  define({
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind: 'RoleBinding',
    plural: 'rolebindings',
    namespaced: true,
  }),
  define({
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind: 'ClusterRole',
    plural: 'clusterroles',
    namespaced: false,
  }),
  define({
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind: 'ClusterRoleBinding',
    plural: 'clusterrolebindings',
    namespaced: false,
  }),
  define({
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'Ingress',
    plural: 'ingresses',
    namespaced: true,
    shortNames: ['ing'],
    subresources: ['status'],
    tracksGeneration: true,
  }),
  define({
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'IngressClass',
    plural: 'ingressclasses',
    namespaced: false,
    tracksGeneration: true,
  }),
];

/** Field labels every resource accepts in a field selector. */
export const COMMON_FIELD_LABELS: Readonly<Partial<Record<string, FieldLabel>>> = {
  'metadata.name': (o) => o.metadata.name ?? '',
  'metadata.namespace': (o) => o.metadata.namespace ?? '',
};

export function findResourceType(
  group: string,
  version: string,
  plural: string,
): ResourceType | undefined {
  return RESOURCE_TYPES.find(
    (type) => type.group === group && type.version === version && type.plural === plural,
  );
}

export function findResourceTypeByKind(apiVersion: string, kind: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((type) => apiVersionOf(type) === apiVersion && type.kind === kind);
}

export function resourceTypeFor(group: string, plural: string): ResourceType {
  const found = RESOURCE_TYPES.find((type) => type.group === group && type.plural === plural);
  if (found === undefined)
    throw new Error(`the double has no resource ${plural} in group "${group}"`);
  return found;
}
