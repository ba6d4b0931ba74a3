import type { LoadBalancerIpAllocator } from '../allocators.js';
import { clone, numberAt, objectsAt, stringAt, stringMapAt, type JsonObject } from '../json.js';
import type { KubeObject } from '../objects.js';
import { labelSelectorFromMap, matchesLabels } from '../selectors.js';
import type { StoreEvent } from '../store.js';
import { recordEvent } from './events.js';
import { ENDPOINTS, PODS, SERVICES } from './kinds.js';
import { isReady } from './pod-status.js';
import {
  CONTROLLER_MANAGER,
  keyOf,
  splitKey,
  WorkQueue,
  type ControllerRuntime,
} from './runtime.js';
import type { SimulationSettings } from './simulation-settings.js';

/**
 * The cloud provider's service controller (LoadBalancer ingress IPs from 203.0.113.0/24) and the
 * endpoints controller (Endpoints follow the ready and not-ready pods a Service selects).
 */
export class ServiceController {
  private readonly endpointsQueue: WorkQueue;
  private readonly loadBalancers = new Map<string, string>();

  constructor(
    private readonly runtime: ControllerRuntime,
    private readonly settings: SimulationSettings,
    private readonly ips: LoadBalancerIpAllocator,
  ) {
    this.endpointsQueue = new WorkQueue(runtime, (key) => {
      this.syncEndpoints(key);
    });
  }

  onEvent(event: StoreEvent): void {
    const { object } = event;
    if (event.resource === SERVICES) {
      const uid = object.metadata.uid ?? '';
      if (event.type === 'DELETED') {
        const ip = this.loadBalancers.get(uid);
        if (ip !== undefined) this.ips.release(ip);
        this.loadBalancers.delete(uid);
        return;
      }
      this.endpointsQueue.add(keyOf(object));
      if (stringAt(object, 'spec', 'type') === 'LoadBalancer' && !this.loadBalancers.has(uid)) {
        this.loadBalancers.set(uid, '');
        this.runtime.later(this.settings.loadBalancerDelayMs, () => {
          this.provision(object);
        });
      }
    }
    if (event.resource === PODS) {
      for (const service of this.runtime.api.store.list(SERVICES, object.metadata.namespace)) {
        const selector = stringMapAt(service, 'spec', 'selector');
        if (Object.keys(selector).length === 0) continue;
        const matcher = labelSelectorFromMap(selector);
        if (
          matchesLabels(matcher, object.metadata.labels ?? {}) ||
          (event.previous !== undefined &&
            matchesLabels(matcher, event.previous.metadata.labels ?? {}))
        ) {
          this.endpointsQueue.add(keyOf(service));
        }
      }
    }
  }

  private provision(service: KubeObject): void {
    const { api } = this.runtime;
    const live = api.tryGet(
      SERVICES,
      service.metadata.namespace ?? '',
      service.metadata.name ?? '',
    );
    if (
      live === undefined ||
      live.metadata.uid !== service.metadata.uid ||
      stringAt(live, 'spec', 'type') !== 'LoadBalancer'
    ) {
      this.loadBalancers.delete(service.metadata.uid ?? '');
      return;
    }
    const ip = this.ips.allocate();
    this.loadBalancers.set(service.metadata.uid ?? '', ip);
    const next = clone(live);
    next.status = { loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } };
    api.update(SERVICES, live.metadata.namespace ?? '', live.metadata.name ?? '', next, {
      fieldManager: 'cloud-controller-manager',
      dryRun: false,
      subresource: 'status',
    });
    recordEvent(api, live, {
      type: 'Normal',
      reason: 'EnsuredLoadBalancer',
      message: 'Ensured load balancer',
      component: 'service-controller',
    });
  }

  private syncEndpoints(key: string): void {
    const { api } = this.runtime;
    const { namespace, name } = splitKey(key);
    const service = api.tryGet(SERVICES, namespace, name);
    const selector = service === undefined ? {} : stringMapAt(service, 'spec', 'selector');
    if (service === undefined || Object.keys(selector).length === 0) return;
    const matcher = labelSelectorFromMap(selector);
    const pods = api.store
      .list(PODS, namespace)
      .filter(
        (pod) =>
          pod.metadata.deletionTimestamp === undefined &&
          typeof stringAt(pod, 'status', 'podIP') === 'string' &&
          matchesLabels(matcher, pod.metadata.labels ?? {}),
      );
    const address = (pod: KubeObject): JsonObject => ({
      ip: stringAt(pod, 'status', 'podIP') ?? '',
      nodeName: stringAt(pod, 'spec', 'nodeName') ?? '',
      targetRef: {
        kind: 'Pod',
        namespace,
        name: pod.metadata.name ?? '',
        uid: pod.metadata.uid ?? '',
      },
    });
    const ports = objectsAt(service, 'spec', 'ports').map((port) => {
      const target = port.targetPort;
      const entry: JsonObject = {
        port: typeof target === 'number' ? target : (numberAt(port, 'port') ?? 0),
        protocol: stringAt(port, 'protocol') ?? 'TCP',
      };
      if (typeof port.name === 'string' && port.name !== '') entry.name = port.name;
      return entry;
    });
    const ready = pods.filter(isReady).map(address);
    const notReady = pods.filter((pod) => !isReady(pod)).map(address);
    const subset: JsonObject = { ports };
    if (ready.length > 0) subset.addresses = ready;
    if (notReady.length > 0) subset.notReadyAddresses = notReady;
    const desired: KubeObject = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name, namespace, labels: { ...(service.metadata.labels ?? {}) } },
    };
    if (pods.length > 0) desired.subsets = [subset];
    const existing = api.tryGet(ENDPOINTS, namespace, name);
    if (existing === undefined) {
      api.create(ENDPOINTS, namespace, desired, CONTROLLER_MANAGER);
      return;
    }
    const next = clone(existing);
    next.metadata.labels = desired.metadata.labels;
    if (desired.subsets === undefined) delete next.subsets;
    else next.subsets = desired.subsets;
    api.update(ENDPOINTS, namespace, name, next, CONTROLLER_MANAGER);
  }
}
