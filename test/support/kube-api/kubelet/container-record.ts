import type { JsonObject } from '../json.js';

/** What the kubelet knows of one container, from which containerStatuses[] is written. */
export interface ContainerRecord {
  name: string;
  image: string;
  /** repo@sha256:… once pulled; '' before. */
  imageId: string;
  /** docker://<id> of the current or last container; '' before the first. */
  containerId: string;
  /** { waiting: … } | { running: … } | { terminated: … } */
  state: JsonObject;
  /** { terminated: … } of the previous run, or {} */
  lastState: JsonObject;
  restartCount: number;
  ready: boolean;
  /** The startup probe passed (or there is none) and the container runs. */
  started: boolean;
  everStarted: boolean;
  /** Terminated for good: the restart policy will not start it again. */
  finished: boolean;
}

export function newRecord(name: string, image: string): ContainerRecord {
  return {
    name,
    image,
    imageId: '',
    containerId: '',
    state: { waiting: { reason: 'ContainerCreating' } },
    lastState: {},
    restartCount: 0,
    ready: false,
    started: false,
    everStarted: false,
    finished: false,
  };
}

export function waiting(record: ContainerRecord, reason: string, message?: string): void {
  record.state = { waiting: message === undefined ? { reason } : { reason, message } };
  record.ready = false;
  record.started = false;
}

/** containerStatuses[] as the kubelet reports it. */
export function containerStatus(record: ContainerRecord): JsonObject {
  const status: JsonObject = {
    name: record.name,
    image: record.image,
    imageID: record.imageId,
    ready: record.ready,
    started: record.started,
    restartCount: record.restartCount,
    state: record.state,
    lastState: record.lastState,
  };
  if (record.containerId !== '') status.containerID = record.containerId;
  return status;
}
