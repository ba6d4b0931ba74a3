import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { dockerFromHost } from '../../../../core/adapters/docker-client.js';
import type { PodIpAllocator } from '../allocators.js';
import { PODS } from '../controllers/kinds.js';
import type { ControllerRuntime } from '../controllers/runtime.js';
import { Scheduler } from '../controllers/scheduler.js';
import { stringAt } from '../json.js';
import type { KubeObject } from '../objects.js';
import type { StoreEvent } from '../store.js';
import type { ClusterNetwork } from './cluster-network.js';
import { ImagePuller } from './image-puller.js';
import type { KubeletSettings } from './kubelet-settings.js';
import { ownerLabels } from './owner-labels.js';
import { ensurePauseImage } from './pause-image.js';
import { PodWorker } from './pod-worker.js';
import { sweepContainers } from './sweeper.js';

/** How long status changes gather before they are written together. */
const STATUS_BATCH_MS = 20;

/**
 * The node agents of the double: the scheduler binds pods to nodes, and this kubelet runs each
 * pod's containers for real in a Docker Engine, one network namespace per pod.
 */
export class DockerKubelet {
  readonly instance = randomBytes(6).toString('hex');
  private readonly docker: Docker;
  private readonly scheduler: Scheduler;
  private readonly puller: ImagePuller;
  private readonly workers = new Map<string, PodWorker>();
  private readonly terminating = new Set<string>();
  private readonly pending = new Set<Promise<unknown>>();
  /** Pods whose status is to be written: all in one turn, so controllers see one burst. */
  private readonly dirty = new Set<PodWorker>();
  private readonly socketDir = mkdtempSync(join(tmpdir(), 'kd-'));
  private stopped = false;

  constructor(
    private readonly runtime: ControllerRuntime,
    private readonly settings: KubeletSettings,
    private readonly podIps: PodIpAllocator,
    private readonly network?: ClusterNetwork,
  ) {
    this.docker = dockerFromHost(settings.dockerHost);
    this.scheduler = new Scheduler(runtime);
    this.puller = new ImagePuller(this.docker);
  }

  /** Checks the engine answers, removes what dead test processes left behind, imports the pause image. */
  async start(): Promise<void> {
    try {
      await this.docker.ping();
    } catch (error) {
      rmSync(this.socketDir, { recursive: true, force: true });
      throw new Error(
        `the kube-api double's kubelet cannot reach Docker at ${this.settings.dockerHost}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    await sweepContainers(this.docker);
    await ensurePauseImage(this.docker);
  }

  /** The unix socket that reaches into a running pod (see pod-connection.ts). */
  socketFor(podUid: string): string | undefined {
    return this.workers.get(podUid)?.socketPath();
  }

  onEvent(event: StoreEvent): void {
    if (event.resource !== PODS || this.stopped) return;
    const pod = event.object;
    const uid = pod.metadata.uid ?? '';
    if (event.type === 'DELETED') {
      this.scheduler.forget(uid);
      this.terminating.delete(uid);
      const worker = this.workers.get(uid);
      this.workers.delete(uid);
      if (worker !== undefined) this.track(worker.destroy());
      return;
    }
    if (pod.metadata.deletionTimestamp !== undefined) {
      if (!this.terminating.has(uid)) {
        this.terminating.add(uid);
        this.track(this.terminate(pod));
      }
      return;
    }
    const nodeName = stringAt(pod, 'spec', 'nodeName');
    if (nodeName === undefined || nodeName === '') {
      this.scheduler.schedule(pod);
      return;
    }
    if (!this.workers.has(uid)) {
      const worker = new PodWorker(
        {
          runtime: this.runtime,
          docker: this.docker,
          puller: this.puller,
          settings: this.settings,
          podIps: this.podIps,
          network: this.network,
          socketDir: this.socketDir,
          ownerLabels: ownerLabels(this.instance),
          markDirty: (dirty) => {
            this.markDirty(dirty);
          },
        },
        pod,
      );
      this.workers.set(uid, worker);
      worker.start();
    }
  }

  /** Removes every container this kubelet started, then its sockets. */
  async stop(): Promise<void> {
    this.stopped = true;
    const workers = [...this.workers.values()];
    this.workers.clear();
    await Promise.all([...workers.map((worker) => worker.destroy()), ...this.pending]);
    await sweepContainers(this.docker, this.instance).catch(() => 0);
    rmSync(this.socketDir, { recursive: true, force: true });
  }

  private async terminate(pod: KubeObject): Promise<void> {
    const uid = pod.metadata.uid ?? '';
    const grace = pod.metadata.deletionGracePeriodSeconds ?? 30;
    await this.workers.get(uid)?.terminate(grace);
    this.workers.delete(uid);
    if (this.stopped) return;
    this.runtime.guard(() => {
      const { namespace = '', name = '' } = pod.metadata;
      const live = this.runtime.api.tryGet(PODS, namespace, name);
      if (live?.metadata.uid !== uid) return;
      this.runtime.api.delete(PODS, namespace, name, { dryRun: false, gracePeriodSeconds: 0 });
    });
  }

  private markDirty(worker: PodWorker): void {
    if (this.dirty.size === 0) {
      this.runtime.later(STATUS_BATCH_MS, () => {
        const batch = [...this.dirty];
        this.dirty.clear();
        for (const dirty of batch)
          this.runtime.guard(() => {
            dirty.writeStatus();
          });
      });
    }
    this.dirty.add(worker);
  }

  private track(work: Promise<unknown>): void {
    const guarded = work.catch((error: unknown) => {
      this.runtime.guard(() => {
        throw error;
      });
    });
    this.pending.add(guarded);
    void guarded.finally(() => this.pending.delete(guarded));
  }
}
