import type { KubeApi } from '../api.js';
import { CONFIG_MAPS, SECRETS } from '../controllers/kinds.js';
import { booleanAt, objectAt, objectsAt, stringAt, stringMapAt, type JsonObject } from '../json.js';
import type { KubeObject } from '../objects.js';

/** Where a pod's fieldRefs read from that is not in the pod object itself. */
export interface PodRuntimeFields {
  podIp: string;
  hostIp: string;
}

/** A missing Secret or ConfigMap: the kubelet's CreateContainerConfigError. */
export class ContainerConfigError extends Error {}

/** `$(VAR)` becomes VAR's value when VAR is defined, `$$` escapes a `$`, as the kubelet expands them. */
export function expand(text: string, vars: ReadonlyMap<string, string>): string {
  return text.replace(
    /\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g,
    (match, name: string | undefined) => {
      if (match === '$$') return '$';
      return name !== undefined && vars.has(name) ? (vars.get(name) ?? '') : match;
    },
  );
}

function fieldValue(pod: KubeObject, path: string, runtime: PodRuntimeFields): string {
  const keyed = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (keyed !== null) {
    const map = keyed[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations;
    return map?.[keyed[2] ?? ''] ?? '';
  }
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name ?? '';
    case 'metadata.namespace':
      return pod.metadata.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'spec.nodeName':
      return stringAt(pod, 'spec', 'nodeName') ?? '';
    case 'spec.serviceAccountName':
      return stringAt(pod, 'spec', 'serviceAccountName') ?? '';
    case 'status.podIP':
    case 'status.podIPs':
      return runtime.podIp;
    case 'status.hostIP':
    case 'status.hostIPs':
      return runtime.hostIp;
    default:
      throw new ContainerConfigError(`unsupported fieldRef path "${path}"`);
  }
}

function keyValue(
  api: KubeApi,
  namespace: string,
  ref: JsonObject,
  secret: boolean,
): string | undefined {
  const name = stringAt(ref, 'name') ?? '';
  const key = stringAt(ref, 'key') ?? '';
  const optional = booleanAt(ref, 'optional') === true;
  const object = api.tryGet(secret ? SECRETS : CONFIG_MAPS, namespace, name);
  const kind = secret ? 'secret' : 'configmap';
  if (object === undefined) {
    if (optional) return undefined;
    throw new ContainerConfigError(`${kind} "${name}" not found`);
  }
  const data = stringMapAt(object, 'data');
  const value = data[key];
  if (value === undefined) {
    if (optional) return undefined;
    throw new ContainerConfigError(`couldn't find key ${key} in ${kind} ${namespace}/${name}`);
  }
  return secret ? Buffer.from(value, 'base64').toString('utf8') : value;
}

function envFrom(
  api: KubeApi,
  pod: KubeObject,
  container: JsonObject,
  vars: Map<string, string>,
): void {
  const namespace = pod.metadata.namespace ?? '';
  for (const source of objectsAt(container, 'envFrom')) {
    const prefix = stringAt(source, 'prefix') ?? '';
    const secretRef = objectAt(source, 'secretRef');
    const ref = secretRef ?? objectAt(source, 'configMapRef') ?? {};
    const name = stringAt(ref, 'name') ?? '';
    const object = api.tryGet(secretRef ? SECRETS : CONFIG_MAPS, namespace, name);
    if (object === undefined) {
      if (booleanAt(ref, 'optional') === true) continue;
      throw new ContainerConfigError(`${secretRef ? 'secret' : 'configmap'} "${name}" not found`);
    }
    for (const [key, value] of Object.entries(stringMapAt(object, 'data'))) {
      vars.set(
        `${prefix}${key}`,
        secretRef ? Buffer.from(value, 'base64').toString('utf8') : value,
      );
    }
  }
}

/** The container's environment, as NAME=value lines, resolved the way the kubelet does. */
export function resolveEnv(
  api: KubeApi,
  pod: KubeObject,
  container: JsonObject,
  runtime: PodRuntimeFields,
): Map<string, string> {
  const namespace = pod.metadata.namespace ?? '';
  const vars = new Map<string, string>();
  envFrom(api, pod, container, vars);
  for (const entry of objectsAt(container, 'env')) {
    const name = stringAt(entry, 'name') ?? '';
    const valueFrom = objectAt(entry, 'valueFrom');
    if (valueFrom === undefined) {
      vars.set(name, expand(stringAt(entry, 'value') ?? '', vars));
      continue;
    }
    const fieldRef = objectAt(valueFrom, 'fieldRef');
    const secretRef = objectAt(valueFrom, 'secretKeyRef');
    const configMapRef = objectAt(valueFrom, 'configMapKeyRef');
    let value: string | undefined;
    if (fieldRef !== undefined)
      value = fieldValue(pod, stringAt(fieldRef, 'fieldPath') ?? '', runtime);
    else if (secretRef !== undefined) value = keyValue(api, namespace, secretRef, true);
    else if (configMapRef !== undefined) value = keyValue(api, namespace, configMapRef, false);
    else
      throw new ContainerConfigError(
        `env ${name}: only fieldRef, secretKeyRef and configMapKeyRef are supported`,
      );
    if (value !== undefined) vars.set(name, value);
  }
  return vars;
}
