import { RESOURCE_TYPES } from '../resource-types.js';
import type { StoreEvent } from '../store.js';
import { CONFIG_MAPS, NAMESPACES, SERVICE_ACCOUNTS } from './kinds.js';
import { CONTROLLER_MANAGER, WorkQueue, type ControllerRuntime } from './runtime.js';

const ROOT_CA =
  '-----BEGIN CERTIFICATE-----\nMIIBkubeapidoubletestonlynotarealcertificate\n-----END CERTIFICATE-----\n';

/**
 * The namespace lifecycle: a new namespace gets its `default` ServiceAccount and the
 * kube-root-ca.crt ConfigMap; a terminating one has its content deleted, then goes away.
 */
export class NamespaceController {
  private readonly queue: WorkQueue;

  constructor(private readonly runtime: ControllerRuntime) {
    this.queue = new WorkQueue(runtime, (name) => {
      this.reconcile(name);
    });
  }

  onEvent(event: StoreEvent): void {
    if (event.resource === NAMESPACES && event.type !== 'DELETED')
      this.queue.add(event.object.metadata.name ?? '');
    else if (event.resource.namespaced && event.type === 'DELETED') {
      const namespace = event.object.metadata.namespace ?? '';
      const home = this.runtime.api.tryGet(NAMESPACES, '', namespace);
      if (home?.metadata.deletionTimestamp !== undefined) this.queue.add(namespace);
    }
  }

  private reconcile(name: string): void {
    const { api } = this.runtime;
    const namespace = api.tryGet(NAMESPACES, '', name);
    if (namespace === undefined) return;
    if (namespace.metadata.deletionTimestamp === undefined) {
      this.populate(name);
      return;
    }
    let remaining = 0;
    for (const type of RESOURCE_TYPES.filter((item) => item.namespaced)) {
      for (const object of api.store.list(type, name)) {
        remaining += 1;
        if (object.metadata.deletionTimestamp === undefined) {
          this.runtime.guard(() => {
            api.delete(type, name, object.metadata.name ?? '', {
              dryRun: false,
              propagationPolicy: 'Background',
            });
          });
        }
      }
    }
    if (remaining === 0) api.completeDeletion(NAMESPACES, namespace);
    else this.queue.add(name, 50);
  }

  private populate(name: string): void {
    const { api } = this.runtime;
    if (api.tryGet(SERVICE_ACCOUNTS, name, 'default') === undefined) {
      api.create(
        SERVICE_ACCOUNTS,
        name,
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } },
        CONTROLLER_MANAGER,
      );
    }
    if (api.tryGet(CONFIG_MAPS, name, 'kube-root-ca.crt') === undefined) {
      api.create(
        CONFIG_MAPS,
        name,
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: {
            name: 'kube-root-ca.crt',
            annotations: {
              'kubernetes.io/description':
                'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.',
            },
          },
          data: { 'ca.crt': ROOT_CA },
        },
        CONTROLLER_MANAGER,
      );
    }
  }
}
