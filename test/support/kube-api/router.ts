import { findResourceType, type ResourceType } from './resource-types.js';
import { hasGroup, hasGroupVersion } from './discovery.js';

/** What a request path names, before the verb is known. */
export type Route =
  | { kind: 'version' }
  | { kind: 'health' }
  | { kind: 'api' }
  | { kind: 'apis' }
  | { kind: 'group'; group: string }
  | { kind: 'resourceList'; group: string; version: string }
  | { kind: 'openapi'; path: string }
  | {
      kind: 'resource';
      type: ResourceType;
      /** The namespace in the path; undefined for cluster-scoped resources and all-namespace lists. */
      namespace: string | undefined;
      name: string | undefined;
      subresource: string | undefined;
    }
  | { kind: 'unknown'; why: string };

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function resourceRoute(group: string, version: string, rest: readonly string[]): Route {
  if (!hasGroupVersion(group, version))
    return { kind: 'unknown', why: `no group version ${group || 'core'}/${version}` };
  if (rest.length === 0) return { kind: 'resourceList', group, version };
  let namespace: string | undefined;
  let parts = rest;
  // /namespaces/{ns}/{plural}/... is a namespaced resource; /namespaces/{name}[/status] is the Namespace itself.
  const namespaceItself =
    parts[0] === 'namespaces' &&
    parts.length === 3 &&
    (parts[2] === 'status' || parts[2] === 'finalize');
  if (parts[0] === 'namespaces' && parts.length >= 3 && !namespaceItself) {
    namespace = parts[1];
    parts = parts.slice(2);
  }
  const plural = parts.at(0) ?? '';
  const name = parts.at(1);
  const subresource = parts.at(2);
  const extra = parts.slice(3);
  const type = findResourceType(group, version, plural);
  if (type === undefined)
    return { kind: 'unknown', why: `no resource "${plural}" in ${group || 'core'}/${version}` };
  if (extra.length > 0) return { kind: 'unknown', why: 'path is too long' };
  if (namespace !== undefined && !type.namespaced)
    return { kind: 'unknown', why: `${plural} is cluster-scoped` };
  if (subresource !== undefined && !type.subresources.some((item) => item === subresource)) {
    return { kind: 'unknown', why: `no subresource ${plural}/${subresource}` };
  }
  if (name !== undefined && type.namespaced && namespace === undefined) {
    return {
      kind: 'unknown',
      why: `${plural} is namespaced: use /namespaces/{namespace}/${plural}/${name}`,
    };
  }
  return { kind: 'resource', type, namespace, name, subresource };
}

/** Maps a request path to what it names; anything the double does not serve is `unknown`. */
export function route(pathname: string): Route {
  const segments = pathname
    .split('/')
    .filter((segment) => segment !== '')
    .map(decode);
  const first = segments.at(0);
  const second = segments.at(1);
  const third = segments.at(2);
  const rest = segments.slice(3);
  if (segments.length === 1 && first === 'version') return { kind: 'version' };
  if (segments.length >= 1 && (first === 'healthz' || first === 'livez' || first === 'readyz'))
    return { kind: 'health' };
  if (first === 'openapi') return { kind: 'openapi', path: pathname };
  if (first === 'api') {
    if (second === undefined) return { kind: 'api' };
    return resourceRoute('', second, segments.slice(2));
  }
  if (first === 'apis') {
    if (second === undefined) return { kind: 'apis' };
    if (third === undefined)
      return hasGroup(second)
        ? { kind: 'group', group: second }
        : { kind: 'unknown', why: `no group ${second}` };
    return resourceRoute(second, third, rest);
  }
  return { kind: 'unknown', why: 'not an API path' };
}
