import { clone, stringMapAt, type JsonObject } from '../json.js';
import type { KubeObject } from '../objects.js';
import { recordEvent } from './events.js';
import { NODES, PODS } from './kinds.js';
import type { ControllerRuntime } from './runtime.js';

/**
 * The scheduler: binds each new pod to the next node whose labels match its nodeSelector, round
 * robin, and marks it PodScheduled; a pod no node matches stays Pending, Unschedulable.
 */
export class Scheduler {
  private readonly binding = new Set<string>();
  private nextNode = 0;

  constructor(private readonly runtime: ControllerRuntime) {}

  /** Binds the pod soon, once. */
  schedule(pod: KubeObject): void {
    const uid = pod.metadata.uid ?? '';
    if (this.binding.has(uid)) return;
    this.binding.add(uid);
    this.runtime.later(0, () => {
      this.bind(pod);
    });
  }

  forget(uid: string): void {
    this.binding.delete(uid);
  }

  private bind(pod: KubeObject): void {
    const { api } = this.runtime;
    const namespace = pod.metadata.namespace ?? '';
    const name = pod.metadata.name ?? '';
    const live = api.tryGet(PODS, namespace, name);
    if (live === undefined || live.metadata.uid !== pod.metadata.uid) return;
    if (live.metadata.deletionTimestamp !== undefined) return;
    const selector = stringMapAt(live, 'spec', 'nodeSelector');
    const all = api.store.list(NODES);
    const nodes = all.filter((node) =>
      Object.entries(selector).every(([key, value]) => node.metadata.labels?.[key] === value),
    );
    if (nodes.length === 0) {
      this.unschedulable(live, all.length);
      return;
    }
    const node = nodes.at(this.nextNode % nodes.length);
    this.nextNode += 1;
    if (node === undefined) return;
    const next = clone(live);
    (next.spec as JsonObject).nodeName = node.metadata.name ?? '';
    const bound = api.update(PODS, namespace, name, next, {
      fieldManager: 'kube-scheduler',
      dryRun: false,
    });
    const withStatus = clone(bound);
    withStatus.status = {
      ...(withStatus.status as JsonObject),
      conditions: [
        {
          type: 'PodScheduled',
          status: 'True',
          lastProbeTime: null,
          lastTransitionTime: api.now(),
        },
      ],
    };
    api.update(PODS, namespace, name, withStatus, {
      fieldManager: 'kube-scheduler',
      dryRun: false,
      subresource: 'status',
    });
    recordEvent(api, bound, {
      type: 'Normal',
      reason: 'Scheduled',
      message: `Successfully assigned ${namespace}/${name} to ${node.metadata.name ?? ''}`,
      component: 'default-scheduler',
    });
  }

  private unschedulable(pod: KubeObject, nodeCount: number): void {
    const { api } = this.runtime;
    const message = `0/${nodeCount} nodes are available: ${nodeCount} node(s) didn't match Pod's node affinity/selector. preemption: 0/${nodeCount} nodes are available: ${nodeCount} Preemption is not helpful for scheduling.`;
    const next = clone(pod);
    next.status = {
      phase: 'Pending',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          lastProbeTime: null,
          lastTransitionTime: api.now(),
          reason: 'Unschedulable',
          message,
        },
      ],
    };
    api.update(PODS, pod.metadata.namespace ?? '', pod.metadata.name ?? '', next, {
      fieldManager: 'kube-scheduler',
      dryRun: false,
      subresource: 'status',
    });
    recordEvent(api, pod, {
      type: 'Warning',
      reason: 'FailedScheduling',
      message,
      component: 'default-scheduler',
    });
  }
}
