import { createHash } from 'node:crypto';
import type { PodIpAllocator } from '../allocators.js';
import { clone, objectsAt, stringAt, type JsonObject } from '../json.js';
import type { KubeObject } from '../objects.js';
import type { StoreEvent } from '../store.js';
import { recordEvent } from './events.js';
import { NODES, PODS } from './kinds.js';
import type { ControllerRuntime } from './runtime.js';
import { failureFor, type ImageFailure, type SimulationSettings } from './simulation-settings.js';

type ContainerPhase =
  'creating' | 'errImagePull' | 'imagePullBackOff' | 'running' | 'crashLoopBackOff';

interface ContainerRun {
  name: string;
  image: string;
  failure: ImageFailure | undefined;
  phase: ContainerPhase;
  restartCount: number;
  startedAt: string | undefined;
  lastTerminated: JsonObject | undefined;
  containerId: string;
}

interface PodRun {
  uid: string;
  containers: ContainerRun[];
  transitions: Map<string, string>;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The scheduler and the kubelet: bind pods to nodes, start containers, fail them as configured, terminate them. */
export class Kubelet {
  private readonly runs = new Map<string, PodRun>();
  private readonly terminating = new Set<string>();
  private readonly binding = new Set<string>();
  private nextNode = 0;

  constructor(
    private readonly runtime: ControllerRuntime,
    private readonly settings: SimulationSettings,
    private readonly podIps: PodIpAllocator,
  ) {}

  onEvent(event: StoreEvent): void {
    if (event.resource !== PODS) return;
    const pod = event.object;
    const uid = pod.metadata.uid ?? '';
    if (event.type === 'DELETED') {
      this.runs.delete(uid);
      this.terminating.delete(uid);
      this.binding.delete(uid);
      return;
    }
    if (pod.metadata.deletionTimestamp !== undefined) {
      if (!this.terminating.has(uid)) {
        this.terminating.add(uid);
        this.runtime.later(this.settings.podTerminationDelayMs, () => {
          this.finishTermination(pod);
        });
      }
      return;
    }
    const nodeName = stringAt(pod, 'spec', 'nodeName');
    if (nodeName === undefined || nodeName === '') {
      if (!this.binding.has(uid)) {
        this.binding.add(uid);
        this.runtime.later(0, () => {
          this.bind(pod);
        });
      }
      return;
    }
    if (!this.runs.has(uid)) this.start(pod);
  }

  private current(pod: KubeObject): KubeObject | undefined {
    const found = this.runtime.api.tryGet(
      PODS,
      pod.metadata.namespace ?? '',
      pod.metadata.name ?? '',
    );
    return found?.metadata.uid === pod.metadata.uid ? found : undefined;
  }

  private bind(pod: KubeObject): void {
    const live = this.current(pod);
    if (live === undefined || live.metadata.deletionTimestamp !== undefined) return;
    const nodes = this.runtime.api.store.list(NODES);
    const node = nodes.at(this.nextNode % Math.max(nodes.length, 1));
    this.nextNode += 1;
    if (node === undefined) return;
    const next = clone(live);
    const spec = next.spec as JsonObject;
    spec.nodeName = node.metadata.name ?? '';
    const bound = this.runtime.api.update(
      PODS,
      pod.metadata.namespace ?? '',
      pod.metadata.name ?? '',
      next,
      {
        fieldManager: 'kube-scheduler',
        dryRun: false,
      },
    );
    const withStatus = clone(bound);
    withStatus.status = {
      ...(withStatus.status as JsonObject),
      conditions: [
        {
          type: 'PodScheduled',
          status: 'True',
          lastProbeTime: null,
          lastTransitionTime: this.runtime.api.now(),
        },
      ],
    };
    this.runtime.api.update(
      PODS,
      pod.metadata.namespace ?? '',
      pod.metadata.name ?? '',
      withStatus,
      {
        fieldManager: 'kube-scheduler',
        dryRun: false,
        subresource: 'status',
      },
    );
    recordEvent(this.runtime.api, bound, {
      type: 'Normal',
      reason: 'Scheduled',
      message: `Successfully assigned ${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''} to ${node.metadata.name ?? ''}`,
      component: 'default-scheduler',
    });
  }

  private start(pod: KubeObject): void {
    const uid = pod.metadata.uid ?? '';
    const run: PodRun = {
      uid,
      containers: objectsAt(pod, 'spec', 'containers').map((container) => {
        const image = stringAt(container, 'image') ?? '';
        return {
          name: stringAt(container, 'name') ?? '',
          image,
          failure: failureFor(this.settings, image),
          phase: 'creating',
          restartCount: 0,
          startedAt: undefined,
          lastTerminated: undefined,
          containerId: '',
        };
      }),
      transitions: new Map(),
    };
    this.runs.set(uid, run);
    this.runtime.later(0, () => {
      this.writeStatus(pod, run);
    });
    this.runtime.later(this.settings.podStartDelayMs, () => {
      for (const container of run.containers) this.advance(pod, run, container);
      this.writeStatus(pod, run);
    });
  }

  /** Moves one container to its next state and schedules the one after, for failing containers. */
  private advance(pod: KubeObject, run: PodRun, container: ContainerRun): void {
    const now = this.runtime.api.now();
    const event = (type: 'Normal' | 'Warning', reason: string, message: string): void => {
      const live = this.current(pod);
      if (live !== undefined)
        recordEvent(this.runtime.api, live, { type, reason, message, component: 'kubelet' });
    };
    const next = (): void => {
      this.runtime.later(this.settings.backOffMs, () => {
        if (this.runs.get(run.uid) !== run || this.current(pod) === undefined) return;
        this.advance(pod, run, container);
        this.writeStatus(pod, run);
      });
    };
    switch (container.failure) {
      case 'ImagePullBackOff':
        if (container.phase === 'errImagePull') {
          container.phase = 'imagePullBackOff';
          event('Normal', 'BackOff', `Back-off pulling image "${container.image}"`);
        } else {
          container.phase = 'errImagePull';
          event(
            'Warning',
            'Failed',
            `Failed to pull image "${container.image}": rpc error: code = NotFound desc = failed to pull and unpack image "${container.image}": not found`,
          );
        }
        next();
        return;
      case 'CrashLoopBackOff':
        if (container.phase === 'running') {
          container.lastTerminated = {
            exitCode: 1,
            reason: 'Error',
            startedAt: container.startedAt ?? now,
            finishedAt: now,
            containerID: container.containerId,
          };
          container.restartCount += 1;
          container.phase = 'crashLoopBackOff';
          event(
            'Warning',
            'BackOff',
            `Back-off restarting failed container ${container.name} in pod ${pod.metadata.name ?? ''}`,
          );
        } else {
          this.run(container, now);
          event('Normal', 'Started', `Started container ${container.name}`);
        }
        next();
        return;
      case undefined:
        this.run(container, now);
        event(
          'Normal',
          'Pulled',
          `Container image "${container.image}" already present on machine`,
        );
        event('Normal', 'Started', `Started container ${container.name}`);
        return;
    }
  }

  private run(container: ContainerRun, now: string): void {
    container.phase = 'running';
    container.startedAt = now;
    container.containerId = `containerd://${digest(`${container.name}${now}${String(container.restartCount)}${Math.random()}`)}`;
  }

  private containerStatus(container: ContainerRun): JsonObject {
    const ready = container.phase === 'running' && container.failure === undefined;
    let state: JsonObject;
    switch (container.phase) {
      case 'creating':
        state = { waiting: { reason: 'ContainerCreating' } };
        break;
      case 'errImagePull':
        state = {
          waiting: {
            reason: 'ErrImagePull',
            message: `failed to pull and unpack image "${container.image}": not found`,
          },
        };
        break;
      case 'imagePullBackOff':
        state = {
          waiting: {
            reason: 'ImagePullBackOff',
            message: `Back-off pulling image "${container.image}"`,
          },
        };
        break;
      case 'crashLoopBackOff':
        state = {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: `back-off ${Math.min(10 * 2 ** (container.restartCount - 1), 300)}s restarting failed container=${container.name}`,
          },
        };
        break;
      case 'running':
        state = { running: { startedAt: container.startedAt ?? '' } };
        break;
    }
    const pulled = container.phase === 'running' || container.phase === 'crashLoopBackOff';
    const status: JsonObject = {
      name: container.name,
      image: container.image,
      imageID: pulled
        ? `${container.image.split(':')[0] ?? container.image}@sha256:${digest(container.image)}`
        : '',
      ready,
      started: container.phase === 'running',
      restartCount: container.restartCount,
      state,
      lastState:
        container.lastTerminated === undefined ? {} : { terminated: container.lastTerminated },
    };
    if (container.containerId !== '') status.containerID = container.containerId;
    return status;
  }

  private writeStatus(pod: KubeObject, run: PodRun): void {
    const live = this.current(pod);
    if (live === undefined || live.metadata.deletionTimestamp !== undefined) return;
    const nodeName = stringAt(live, 'spec', 'nodeName') ?? '';
    const node = this.runtime.api.tryGet(NODES, '', nodeName);
    const hostIp =
      objectsAt(node, 'status', 'addresses').find((address) => address.type === 'InternalIP')
        ?.address ?? '';
    const nodeIndex = Math.max(
      0,
      this.runtime.api.store.list(NODES).findIndex((item) => item.metadata.name === nodeName),
    );
    const previous = (live.status ?? {}) as JsonObject;
    const podIp =
      typeof previous.podIP === 'string' ? previous.podIP : this.podIps.allocate(nodeIndex + 1);
    const now = this.runtime.api.now();
    const allReady = run.containers.every(
      (container) => container.phase === 'running' && container.failure === undefined,
    );
    const everStarted = run.containers.every((container) => container.startedAt !== undefined);
    const unready = run.containers
      .filter((container) => !(container.phase === 'running' && container.failure === undefined))
      .map((container) => container.name);
    const condition = (
      type: string,
      ok: boolean,
      reason?: string,
      message?: string,
    ): JsonObject => {
      const value = ok ? 'True' : 'False';
      const key = `${type}=${value}`;
      if (!run.transitions.has(key)) {
        run.transitions.delete(`${type}=${ok ? 'False' : 'True'}`);
        run.transitions.set(key, now);
      }
      const entry: JsonObject = {
        type,
        status: value,
        lastProbeTime: null,
        lastTransitionTime: run.transitions.get(key) ?? now,
      };
      if (!ok && reason !== undefined) entry.reason = reason;
      if (!ok && message !== undefined) entry.message = message;
      return entry;
    };
    const notReady = `containers with unready status: [${unready.join(' ')}]`;
    const next = clone(live);
    next.status = {
      phase: everStarted ? 'Running' : 'Pending',
      conditions: [
        condition('PodReadyToStartContainers', true),
        condition('Initialized', true),
        condition('Ready', allReady, 'ContainersNotReady', notReady),
        condition('ContainersReady', allReady, 'ContainersNotReady', notReady),
        condition('PodScheduled', true),
      ],
      hostIP: hostIp,
      hostIPs: [{ ip: hostIp }],
      podIP: podIp,
      podIPs: [{ ip: podIp }],
      startTime: typeof previous.startTime === 'string' ? previous.startTime : now,
      containerStatuses: run.containers.map((container) => this.containerStatus(container)),
      qosClass: 'BestEffort',
    };
    this.runtime.api.update(PODS, live.metadata.namespace ?? '', live.metadata.name ?? '', next, {
      fieldManager: 'kubelet',
      dryRun: false,
      subresource: 'status',
    });
  }

  private finishTermination(pod: KubeObject): void {
    const live = this.current(pod);
    if (live === undefined) return;
    this.runtime.api.delete(PODS, live.metadata.namespace ?? '', live.metadata.name ?? '', {
      dryRun: false,
      gracePeriodSeconds: 0,
    });
  }
}
