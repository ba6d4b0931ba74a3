import { jsonEqual, numberAt, objectAt, objectsAt, type JsonObject } from '../json.js';
import type { KubeObject } from '../objects.js';
import { containerStatus, type ContainerRecord } from './container-record.js';

export interface PodStatusInput {
  previous: JsonObject;
  records: readonly ContainerRecord[];
  sandboxReady: boolean;
  podIp: string;
  hostIp: string;
  qosClass: string;
  now: string;
  /** When each condition last changed, kept by the pod's worker across writes. */
  transitions: Map<string, string>;
}

/** Guaranteed when every container's limits name CPU and memory and requests equal them, BestEffort with none, else Burstable. */
export function qosClass(pod: KubeObject): string {
  const containers = objectsAt(pod, 'spec', 'containers');
  const resources = containers.map((container) => ({
    requests: objectAt(container, 'resources', 'requests') ?? {},
    limits: objectAt(container, 'resources', 'limits') ?? {},
  }));
  const none = resources.every(
    (entry) => Object.keys(entry.requests).length === 0 && Object.keys(entry.limits).length === 0,
  );
  if (none) return 'BestEffort';
  const guaranteed = resources.every(
    ({ requests, limits }) =>
      ['cpu', 'memory'].every((name) => limits[name] !== undefined) &&
      Object.entries(requests).every(([name, value]) => jsonEqual(value, limits[name])),
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function phaseOf(records: readonly ContainerRecord[]): string {
  if (records.length > 0 && records.every((record) => record.finished)) {
    const clean = records.every(
      (record) => numberAt(objectAt(record.state, 'terminated'), 'exitCode') === 0,
    );
    return clean ? 'Succeeded' : 'Failed';
  }
  return records.every((record) => record.everStarted) ? 'Running' : 'Pending';
}

/** The pod's status as the kubelet writes it, from what it knows of the containers. */
export function podStatus(input: PodStatusInput): JsonObject {
  const { records, now, transitions } = input;
  const phase = phaseOf(records);
  const allReady = phase === 'Running' && records.every((record) => record.ready);
  const unready = records.filter((record) => !record.ready).map((record) => record.name);
  const condition = (type: string, ok: boolean, reason?: string, message?: string): JsonObject => {
    const value = ok ? 'True' : 'False';
    const key = `${type}=${value}`;
    if (!transitions.has(key)) {
      transitions.delete(`${type}=${ok ? 'False' : 'True'}`);
      transitions.set(key, now);
    }
    const entry: JsonObject = {
      type,
      status: value,
      lastProbeTime: null,
      lastTransitionTime: transitions.get(key) ?? now,
    };
    if (!ok && reason !== undefined) entry.reason = reason;
    if (!ok && message !== undefined) entry.message = message;
    return entry;
  };
  const notReadyReason =
    phase === 'Running' || phase === 'Pending' ? 'ContainersNotReady' : 'PodCompleted';
  const notReady = `containers with unready status: [${unready.join(' ')}]`;
  const status: JsonObject = {
    phase,
    conditions: [
      condition('PodReadyToStartContainers', input.sandboxReady),
      condition('Initialized', true),
      condition('Ready', allReady, notReadyReason, notReady),
      condition('ContainersReady', allReady, notReadyReason, notReady),
      condition('PodScheduled', true),
    ],
    hostIP: input.hostIp,
    hostIPs: [{ ip: input.hostIp }],
    startTime: typeof input.previous.startTime === 'string' ? input.previous.startTime : now,
    containerStatuses: records.map(containerStatus),
    qosClass: input.qosClass,
  };
  if (input.podIp !== '') {
    status.podIP = input.podIp;
    status.podIPs = [{ ip: input.podIp }];
  }
  return status;
}
