import { ApiError, invalid, type FieldError } from './api-error.js';
import type { ClusterIpAllocator, NodePortAllocator } from './allocators.js';
import { ensureObject, numberAt, objectsAt, stringAt } from './json.js';
import type { KubeObject } from './objects.js';
import type { ResourceType } from './resource-types.js';

export interface Allocators {
  clusterIps: ClusterIpAllocator;
  nodePorts: NodePortAllocator;
}

function usesNodePorts(service: KubeObject): boolean {
  const type = stringAt(service, 'spec', 'type');
  return type === 'NodePort' || type === 'LoadBalancer';
}

/**
 * What the API server decides on a write besides defaults: a Service's ClusterIP and node ports
 * (kept from the old object when the client leaves them out), a Pod's service account.
 * Returns a function that commits the allocations once the write is stored.
 */
export function admit(
  type: ResourceType,
  object: KubeObject,
  before: KubeObject | undefined,
  allocators: Allocators,
): () => void {
  if (type.kind === 'Pod' && before === undefined) {
    const spec = ensureObject(object, 'spec');
    spec.serviceAccountName ??= 'default';
    spec.serviceAccount = spec.serviceAccountName;
    spec.priority ??= 0;
  }
  if (type.kind !== 'Service') return () => undefined;
  return admitService(object, before, allocators);
}

function admitService(
  service: KubeObject,
  before: KubeObject | undefined,
  allocators: Allocators,
): () => void {
  const spec = ensureObject(service, 'spec');
  const commits: (() => void)[] = [];
  const errors: FieldError[] = [];
  const name = service.metadata.name ?? '';
  if (spec.type === 'ExternalName') return () => undefined;

  const previousIp = before === undefined ? undefined : stringAt(before, 'spec', 'clusterIP');
  if (spec.clusterIP === undefined || spec.clusterIP === '') {
    if (previousIp !== undefined) {
      spec.clusterIP = previousIp;
    } else {
      const ip = allocators.clusterIps.allocate();
      spec.clusterIP = ip;
      commits.push(() => undefined);
    }
  } else if (
    before === undefined &&
    spec.clusterIP !== 'None' &&
    typeof spec.clusterIP === 'string'
  ) {
    const ip = spec.clusterIP;
    commits.push(() => {
      allocators.clusterIps.reserve(ip);
    });
  }
  if (typeof spec.clusterIP === 'string') spec.clusterIPs = [spec.clusterIP];

  const previousPorts = before === undefined ? [] : objectsAt(before, 'spec', 'ports');
  objectsAt(service, 'spec', 'ports').forEach((port, index) => {
    if (!usesNodePorts(service)) {
      delete port.nodePort;
      return;
    }
    const requested = numberAt(port, 'nodePort');
    const previous = previousPorts.find((old) => numberAt(old, 'port') === numberAt(port, 'port'));
    const previousNodePort = previous === undefined ? undefined : numberAt(previous, 'nodePort');
    if (requested === undefined) {
      if (previousNodePort !== undefined) port.nodePort = previousNodePort;
      else port.nodePort = allocators.nodePorts.allocate();
      return;
    }
    if (requested !== previousNodePort && allocators.nodePorts.isUsed(requested)) {
      errors.push({
        type: 'FieldValueInvalid',
        field: `spec.ports[${index}].nodePort`,
        detail: `Invalid value: ${requested}: provided port is already allocated`,
      });
      return;
    }
    commits.push(() => {
      allocators.nodePorts.reserve(requested);
    });
  });
  if (errors.length > 0)
    throw invalid({ group: '', plural: 'services', kind: 'Service' }, name, errors);
  return () => {
    for (const commit of commits) commit();
  };
}

/** Returns a Service's ClusterIP and node ports to the pools once it is gone. */
export function releaseAllocations(
  type: ResourceType,
  object: KubeObject,
  allocators: Allocators,
): void {
  if (type.kind !== 'Service') return;
  const ip = stringAt(object, 'spec', 'clusterIP');
  if (ip !== undefined && ip !== 'None') allocators.clusterIps.release(ip);
  for (const port of objectsAt(object, 'spec', 'ports')) {
    const nodePort = numberAt(port, 'nodePort');
    if (nodePort !== undefined) allocators.nodePorts.release(nodePort);
  }
}

export function assertNever(value: never): never {
  throw new ApiError(500, 'InternalError', `unexpected value ${String(value)}`);
}
