import type { JsonObject } from './json.js';
import { apiVersionOf, RESOURCE_TYPES, type ResourceType } from './resource-types.js';

export const AGGREGATED_DISCOVERY_V2 =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

export interface VersionInfo extends JsonObject {
  major: string;
  minor: string;
  gitVersion: string;
}

export function versionInfo(kubernetesVersion: string): VersionInfo {
  const [major = '1', minor = '0'] = kubernetesVersion.replace(/^v/, '').split('.');
  return {
    major,
    minor,
    emulationMajor: major,
    emulationMinor: minor,
    minCompatibilityMajor: major,
    minCompatibilityMinor: String(Math.max(0, Number(minor) - 1)),
    gitVersion: kubernetesVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.25.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

function groups(): { group: string; version: string; types: ResourceType[] }[] {
  const result: { group: string; version: string; types: ResourceType[] }[] = [];
  for (const type of RESOURCE_TYPES) {
    let entry = result.find((item) => item.group === type.group && item.version === type.version);
    if (entry === undefined) {
      entry = { group: type.group, version: type.version, types: [] };
      result.push(entry);
    }
    entry.types.push(type);
  }
  return result;
}

export function hasGroupVersion(group: string, version: string): boolean {
  return RESOURCE_TYPES.some((type) => type.group === group && type.version === version);
}

export function hasGroup(group: string): boolean {
  return group !== '' && RESOURCE_TYPES.some((type) => type.group === group);
}

/** GET /api */
export function apiVersions(serverAddress: string): JsonObject {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupEntry(group: string): JsonObject {
  const versions = groups()
    .filter((entry) => entry.group === group)
    .map((entry) => ({ groupVersion: `${group}/${entry.version}`, version: entry.version }));
  return { name: group, versions, preferredVersion: versions[0] ?? null };
}

/** GET /apis */
export function apiGroupList(): JsonObject {
  const names = [...new Set(groups().map((entry) => entry.group))].filter((group) => group !== '');
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: names.map(groupEntry) };
}

/** GET /apis/{group} */
export function apiGroup(group: string): JsonObject {
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(group) };
}

/** GET /api/v1 and /apis/{group}/{version} */
export function apiResourceList(group: string, version: string): JsonObject {
  const resources: JsonObject[] = [];
  for (const type of RESOURCE_TYPES.filter(
    (item) => item.group === group && item.version === version,
  )) {
    const resource: JsonObject = {
      name: type.plural,
      singularName: type.singular,
      namespaced: type.namespaced,
      kind: type.kind,
      verbs: [...type.verbs],
    };
    if (type.shortNames.length > 0) resource.shortNames = [...type.shortNames];
    if (type.categories.length > 0) resource.categories = [...type.categories];
    resources.push(resource);
    for (const subresource of type.subresources) {
      resources.push({
        name: `${type.plural}/${subresource}`,
        singularName: '',
        namespaced: type.namespaced,
        kind: type.kind,
        verbs: ['get', 'patch', 'update'],
      });
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group === '' ? version : `${group}/${version}`,
    resources,
  };
}

/** The aggregated form (apidiscovery.k8s.io/v2) of /api or /apis, one document for every group. */
export function aggregatedDiscovery(legacy: boolean): JsonObject {
  const items = groups()
    .filter((entry) => (entry.group === '') === legacy)
    .reduce<JsonObject[]>((list, entry) => {
      const resources = entry.types.map((type) => {
        const responseKind = { group: type.group, version: type.version, kind: type.kind };
        const resource: JsonObject = {
          resource: type.plural,
          responseKind,
          scope: type.namespaced ? 'Namespaced' : 'Cluster',
          singularResource: type.singular,
          verbs: [...type.verbs],
        };
        if (type.shortNames.length > 0) resource.shortNames = [...type.shortNames];
        if (type.categories.length > 0) resource.categories = [...type.categories];
        if (type.subresources.length > 0) {
          resource.subresources = type.subresources.map((subresource) => ({
            subresource,
            responseKind,
            verbs: ['get', 'patch', 'update'],
          }));
        }
        return resource;
      });
      const version = { version: entry.version, resources, freshness: 'Current' };
      const existing = list.find((item) => (item.metadata as JsonObject).name === entry.group);
      if (existing !== undefined && Array.isArray(existing.versions))
        existing.versions.push(version);
      else list.push({ metadata: legacy ? {} : { name: entry.group }, versions: [version] });
      return list;
    }, []);
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items,
  };
}

export function describeType(type: ResourceType): string {
  return `${apiVersionOf(type)}, Kind=${type.kind}`;
}
