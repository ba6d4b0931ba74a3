import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';
import type { PodIpAllocator } from '../allocators.js';
import { recordEvent } from '../controllers/events.js';
import { NODES, PODS } from '../controllers/kinds.js';
import type { ControllerRuntime } from '../controllers/runtime.js';
import { clone, objectsAt, stringAt, type JsonObject } from '../json.js';
import type { KubeObject } from '../objects.js';
import type { ClusterNetwork } from './cluster-network.js';
import { ContainerRunner } from './container-runner.js';
import type { ImagePuller } from './image-puller.js';
import type { KubeletSettings } from './kubelet-settings.js';
import { LABELS } from './owner-labels.js';
import type { PodContext } from './pod-context.js';
import { podStatus, qosClass } from './pod-status.js';
import { createSandbox, type Sandbox } from './sandbox.js';

export interface PodWorkerDeps {
  runtime: ControllerRuntime;
  docker: Docker;
  puller: ImagePuller;
  settings: KubeletSettings;
  podIps: PodIpAllocator;
  /** The pod network, when the double runs one; else pods have loopback only. */
  network: ClusterNetwork | undefined;
  /** Where the pods' forwarder sockets go. */
  socketDir: string;
  /** The labels that say which double and process own a container. */
  ownerLabels: Record<string, string>;
  /** Asks for this pod's status to be written with the next batch (see DockerKubelet). */
  markDirty(worker: PodWorker): void;
}

/** One pod on the node: its sandbox, a runner per container, its status, its end. */
export class PodWorker {
  private readonly controller = new AbortController();
  private readonly runners: ContainerRunner[];
  private readonly containers = new Set<string>();
  private readonly transitions = new Map<string, string>();
  private sandboxPromise: Promise<Sandbox> | undefined;
  private sandbox: Sandbox | undefined;
  private ip = '';
  private lease: string | undefined;
  private readonly labels: Record<string, string>;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: PodWorkerDeps,
    private readonly pod: KubeObject,
  ) {
    const { name = '', namespace = '', uid = '' } = pod.metadata;
    this.labels = {
      ...deps.ownerLabels,
      [LABELS.podUid]: uid,
      [LABELS.podName]: name,
      [LABELS.podNamespace]: namespace,
    };
    const context = this.context();
    this.runners = objectsAt(pod, 'spec', 'containers').map(
      (spec) => new ContainerRunner(context, spec),
    );
  }

  start(): void {
    if (objectsAt(this.pod, 'spec', 'initContainers').length > 0)
      this.deps.runtime.guard(() => {
        throw new Error(
          `pod ${this.pod.metadata.name ?? ''}: the kube-api double does not run initContainers`,
        );
      });
    this.changed();
    // As the kubelet does, the sandbox first, while the images are pulled; a runner that finds it
    // failed tries again.
    this.ensureSandbox().catch(() => undefined);
    this.running = Promise.all(this.runners.map((runner) => runner.run())).then(async () => {
      // Every container is done for good (restartPolicy Never or OnFailure): the sandbox goes.
      if (!this.controller.signal.aborted) await this.sandbox?.destroy();
    });
  }

  /** The unix socket that reaches into the pod, once its sandbox runs. */
  socketPath(): string | undefined {
    return this.sandbox?.socketPath;
  }

  /** Graceful stop: each container gets SIGTERM, then SIGKILL after the grace period. */
  async terminate(graceSeconds: number): Promise<void> {
    this.controller.abort();
    await Promise.all(this.runners.map((runner) => runner.stop(graceSeconds)));
    await this.running;
    await this.destroy();
  }

  /** Removes everything at once: the double is stopping, or the pod is gone. */
  async destroy(): Promise<void> {
    this.controller.abort();
    const { docker } = this.deps;
    const removeAll = () =>
      Promise.all(
        [...this.containers].map((id) =>
          docker
            .getContainer(id)
            .remove({ force: true })
            .catch(() => undefined),
        ),
      );
    await removeAll();
    // The runners end once their containers are gone; one may have been creating a container.
    await this.running;
    await removeAll();
    const sandbox = this.sandbox ?? (await this.sandboxPromise?.catch(() => undefined));
    await sandbox?.destroy();
    rmSync(this.volumeRoot(), { recursive: true, force: true });
  }

  private volumeRoot(): string {
    return join(this.deps.socketDir, `v-${(this.pod.metadata.uid ?? '').slice(0, 13)}`);
  }

  private context(): PodContext {
    const { deps, pod } = this;
    return {
      docker: deps.docker,
      api: deps.runtime.api,
      puller: deps.puller,
      settings: deps.settings,
      pod,
      signal: this.controller.signal,
      labels: this.labels,
      volumeRoot: this.volumeRoot(),
      sandbox: () => this.ensureSandbox(),
      podIp: () => this.ip,
      hostIp: () => this.hostIp(),
      event: (type, reason, message) => {
        this.deps.runtime.guard(() => {
          const live = this.live();
          if (live !== undefined)
            recordEvent(deps.runtime.api, live, { type, reason, message, component: 'kubelet' });
        });
      },
      changed: () => {
        this.changed();
      },
      track: (id) => this.containers.add(id),
      untrack: (id) => this.containers.delete(id),
    };
  }

  private ensureSandbox(): Promise<Sandbox> {
    if (this.sandboxPromise === undefined) {
      const { name = '', uid = '' } = this.pod.metadata;
      // The address is the pod's from its first sandbox on, as a CNI's lease.
      this.lease ??= this.deps.podIps.allocate(this.nodeIndex() + 1);
      const ip = this.lease;
      const { network } = this.deps;
      const attempt = createSandbox({
        docker: this.deps.docker,
        socketDir: this.deps.socketDir,
        podUid: uid,
        hostname: name,
        labels: this.labels,
        ...(network === undefined ? {} : { attachNetwork: (pid) => network.attach(pid, ip) }),
      });
      this.sandboxPromise = attempt;
      attempt.then(
        (sandbox) => {
          if (this.controller.signal.aborted) {
            void sandbox.destroy();
            return;
          }
          this.sandbox = sandbox;
          this.ip = ip;
          this.changed();
        },
        () => {
          this.sandboxPromise = undefined;
        },
      );
    }
    return this.sandboxPromise;
  }

  private nodeIndex(): number {
    const nodeName = stringAt(this.pod, 'spec', 'nodeName');
    const nodes = this.deps.runtime.api.store.list(NODES);
    return Math.max(
      0,
      nodes.findIndex((node) => node.metadata.name === nodeName),
    );
  }

  private hostIp(): string {
    const { api } = this.deps.runtime;
    const node = api.tryGet(NODES, '', stringAt(this.pod, 'spec', 'nodeName') ?? '');
    const internal = objectsAt(node, 'status', 'addresses').find(
      (address) => address.type === 'InternalIP',
    );
    return stringAt(internal, 'address') ?? '';
  }

  private live(): KubeObject | undefined {
    const { namespace = '', name = '', uid } = this.pod.metadata;
    const found = this.deps.runtime.api.tryGet(PODS, namespace, name);
    return found?.metadata.uid === uid ? found : undefined;
  }

  private changed(): void {
    this.deps.markDirty(this);
  }

  /** Writes the pod's status as the kubelet knows it now. */
  writeStatus(): void {
    const live = this.live();
    if (live === undefined || live.metadata.deletionTimestamp !== undefined) return;
    const { api } = this.deps.runtime;
    const next = clone(live);
    next.status = podStatus({
      previous: (live.status ?? {}) as JsonObject,
      records: this.runners.map((runner) => runner.record),
      sandboxReady: this.sandbox !== undefined,
      podIp: this.ip,
      hostIp: this.hostIp(),
      qosClass: qosClass(this.pod),
      now: api.now(),
      transitions: this.transitions,
    });
    api.update(PODS, live.metadata.namespace ?? '', live.metadata.name ?? '', next, {
      fieldManager: 'kubelet',
      dryRun: false,
      subresource: 'status',
    });
  }
}
