import { numberAt, objectAt, type JsonObject } from '../json.js';
import { containerStatus, type ContainerRecord } from './container-record.js';

export interface PodStatusInput {
  previous: JsonObject;
  records: readonly ContainerRecord[];
  sandboxReady: boolean;
  podIp: string;
  hostIp: string;
  now: string;
  /** When each condition last changed, kept by the pod's worker across writes. */
  transitions: Map<string, string>;
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
    qosClass: 'BestEffort',
  };
  if (input.podIp !== '') {
    status.podIP = input.podIp;
    status.podIPs = [{ ip: input.podIp }];
  }
  return status;
}
