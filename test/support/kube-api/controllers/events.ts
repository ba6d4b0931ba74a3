import { randomBytes } from 'node:crypto';
import type { KubeApi } from '../api.js';
import type { KubeObject } from '../objects.js';
import { EVENTS, NAMESPACES } from './kinds.js';

export interface EventSpec {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  component: string;
}

/** Records a core/v1 Event about an object, as controllers and the kubelet do. */
export function recordEvent(api: KubeApi, involved: KubeObject, spec: EventSpec): void {
  const namespace = involved.metadata.namespace ?? 'default';
  const home = api.tryGet(NAMESPACES, '', namespace);
  if (home === undefined || home.metadata.deletionTimestamp !== undefined) return;
  const now = api.now();
  api.create(
    EVENTS,
    namespace,
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: `${involved.metadata.name ?? 'object'}.${randomBytes(8).toString('hex')}`,
        namespace,
      },
      involvedObject: {
        apiVersion: involved.apiVersion,
        kind: involved.kind,
        name: involved.metadata.name ?? '',
        namespace,
        uid: involved.metadata.uid ?? '',
        resourceVersion: involved.metadata.resourceVersion ?? '',
      },
      reason: spec.reason,
      message: spec.message,
      type: spec.type,
      source: { component: spec.component },
      reportingComponent: spec.component,
      reportingInstance: '',
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    },
    { fieldManager: spec.component, dryRun: false },
  );
}
