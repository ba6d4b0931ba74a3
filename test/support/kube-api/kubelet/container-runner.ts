import { join } from 'node:path';
import type Docker from 'dockerode';
import { numberAt, objectsAt, stringAt, type JsonObject } from '../json.js';
import { BackOff, formatDuration } from './back-off.js';
import { containerConfig } from './container-config.js';
import { newRecord, waiting, type ContainerRecord } from './container-record.js';
import { ContainerConfigError, resolveEnv } from './env-vars.js';
import { pullImage } from './image-step.js';
import type { PulledImage } from './image-puller.js';
import { LABELS } from './owner-labels.js';
import { apiTime, pause, stopping, type PodContext } from './pod-context.js';
import { Prober } from './prober.js';
import type { Sandbox } from './sandbox.js';
import { writeVolumeFiles } from './volume-files.js';

function errorText(error: unknown): string {
  const found = error as { json?: { message?: string }; message?: string };
  return (found.json?.message ?? found.message ?? String(error)).trim();
}

/**
 * One container of a pod, supervised as the kubelet does: image, start, probes, exit, and restarts
 * by the pod's restartPolicy with the crash-loop back-off.
 */
export class ContainerRunner {
  readonly record: ContainerRecord;
  private readonly pullBackOff: BackOff;
  private readonly crashBackOff: BackOff;
  private crashes = 0;
  private current: Docker.Container | undefined;
  private prober: Prober | undefined;
  /** Set once the pod is being stopped: the grace period for a container that starts after all. */
  private stopGrace: number | undefined;

  constructor(
    private readonly ctx: PodContext,
    private readonly spec: JsonObject,
  ) {
    this.record = newRecord(stringAt(spec, 'name') ?? '', stringAt(spec, 'image') ?? '');
    const { backOffMs, maxBackOffMs } = ctx.settings;
    this.pullBackOff = new BackOff(backOffMs, maxBackOffMs);
    this.crashBackOff = new BackOff(backOffMs, maxBackOffMs);
  }

  /** Runs until the restart policy lets the container rest, or the pod is stopped. */
  async run(): Promise<void> {
    const { signal } = this.ctx;
    while (!signal.aborted) {
      const image = await pullImage(this.ctx, this.spec, this.record, this.pullBackOff);
      if (image === undefined) return;
      let sandbox: Sandbox;
      try {
        sandbox = await this.ctx.sandbox();
      } catch (error) {
        this.ctx.event(
          'Warning',
          'FailedCreatePodSandBox',
          `Failed to create pod sandbox: ${errorText(error)}`,
        );
        await pause(this.crashBackOff.next(), signal);
        continue;
      }
      const exit = await this.runOnce(image, sandbox);
      if (exit === undefined || stopping(signal)) continue;
      if (!(await this.restartAfter(exit))) return;
    }
  }

  /** Stops the running container: SIGTERM (or the image's stop signal), SIGKILL after the grace period. */
  async stop(graceSeconds: number): Promise<void> {
    this.stopGrace = graceSeconds;
    this.prober?.stop();
    const container = this.current;
    if (container === undefined) return;
    this.ctx.event('Normal', 'Killing', `Stopping container ${this.record.name}`);
    await container.stop({ t: graceSeconds }).catch(() => undefined);
  }

  /** Whether to start again after an exit, waiting out CrashLoopBackOff first. */
  private async restartAfter(exit: JsonObject): Promise<boolean> {
    const policy = stringAt(this.ctx.pod, 'spec', 'restartPolicy') ?? 'Always';
    const exitCode = numberAt(exit, 'exitCode') ?? 0;
    if (policy === 'Never' || (policy === 'OnFailure' && exitCode === 0)) {
      this.record.finished = true;
      this.ctx.changed();
      return false;
    }
    const ranMs =
      Date.parse(stringAt(exit, 'finishedAt') ?? '') -
      Date.parse(stringAt(exit, 'startedAt') ?? '');
    if (ranMs >= this.ctx.settings.backOffResetMs) {
      this.crashes = 0;
      this.crashBackOff.reset();
    }
    this.crashes += 1;
    // The first restart is at once; from the second exit on, the back-off doubles.
    if (this.crashes === 1) return true;
    const delay = this.crashBackOff.next();
    const { name: podName = '', namespace = '', uid = '' } = this.ctx.pod.metadata;
    waiting(
      this.record,
      'CrashLoopBackOff',
      `back-off ${formatDuration(delay)} restarting failed container=${this.record.name} pod=${podName}_${namespace}(${uid})`,
    );
    this.ctx.event(
      'Warning',
      'BackOff',
      `Back-off restarting failed container ${this.record.name} in pod ${podName}_${namespace}(${uid})`,
    );
    this.ctx.changed();
    return pause(delay, this.ctx.signal);
  }

  /** Creates, starts and waits for one container; its terminated state, or undefined if none ran. */
  private async runOnce(image: PulledImage, sandbox: Sandbox): Promise<JsonObject | undefined> {
    const { ctx, record } = this;
    const container = await this.create(image, sandbox);
    if (container === undefined) return undefined;
    if (record.everStarted) record.restartCount += 1;
    try {
      await container.start();
    } catch (error) {
      const message = errorText(error);
      ctx.event(
        'Warning',
        'Failed',
        `Error: failed to start container "${record.name}": ${message}`,
      );
      await this.remove(container);
      const now = apiTime();
      record.everStarted = true;
      record.lastState = {
        terminated: {
          exitCode: 128,
          reason: 'StartError',
          message,
          startedAt: '1970-01-01T00:00:00Z',
          finishedAt: now,
          containerID: record.containerId,
        },
      };
      record.state = record.lastState;
      ctx.changed();
      return record.state.terminated as JsonObject;
    }
    this.current = container;
    // Stopped while it started: the grace period when the pod is deleted, none when the double stops.
    if (stopping(ctx.signal))
      void container.stop({ t: this.stopGrace ?? 0 }).catch(() => undefined);
    record.everStarted = true;
    record.state = { running: { startedAt: apiTime() } };
    ctx.event('Normal', 'Started', `Started container ${record.name}`);
    this.startProber(container.id, sandbox);
    ctx.changed();
    await container.wait().catch(() => undefined);
    this.prober?.stop();
    this.current = undefined;
    const info = await container.inspect().catch(() => undefined);
    await this.remove(container);
    const exitCode = info?.State.ExitCode ?? 137;
    const terminated: JsonObject = {
      exitCode,
      reason: info?.State.OOMKilled === true ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error',
      startedAt: apiTime(info?.State.StartedAt ?? new Date()),
      finishedAt: apiTime(info?.State.FinishedAt ?? new Date()),
      containerID: record.containerId,
    };
    record.state = { terminated };
    record.lastState = { terminated };
    record.ready = false;
    record.started = false;
    ctx.changed();
    return terminated;
  }

  private async create(
    image: PulledImage,
    sandbox: Sandbox,
  ): Promise<Docker.Container | undefined> {
    const { ctx, record } = this;
    const podName = ctx.pod.metadata.name ?? '';
    try {
      const env = resolveEnv(ctx.api, ctx.pod, this.spec, {
        podIp: ctx.podIp(),
        hostIp: ctx.hostIp(),
      });
      const options = containerConfig({
        pod: ctx.pod,
        container: this.spec,
        name: `k8s_${record.name}_${podName}_${ctx.pod.metadata.namespace ?? ''}_${(ctx.pod.metadata.uid ?? '').slice(0, 8)}_${record.restartCount}_${Date.now().toString(36)}`,
        imageId: image.id,
        imageUser: image.user,
        env,
        volumeDirs: writeVolumeFiles(ctx.api, ctx.pod, join(ctx.volumeRoot, record.name)),
        sandboxId: sandbox.id,
        labels: { ...ctx.labels, [LABELS.containerName]: record.name, [LABELS.role]: 'container' },
      });
      const container = await ctx.docker.createContainer(options);
      ctx.track(container.id);
      if (stopping(ctx.signal)) {
        // The pod was stopped while Docker created it: it must not run.
        await this.remove(container);
        return undefined;
      }
      record.containerId = `docker://${container.id}`;
      ctx.event('Normal', 'Created', `Created container: ${record.name}`);
      return container;
    } catch (error) {
      const reason =
        error instanceof ContainerConfigError
          ? 'CreateContainerConfigError'
          : 'CreateContainerError';
      const message = errorText(error);
      waiting(record, reason, message);
      ctx.event('Warning', 'Failed', `Error: ${message}`);
      ctx.changed();
      await pause(this.crashBackOff.next(), ctx.signal);
      return undefined;
    }
  }

  private startProber(containerId: string, sandbox: Sandbox): void {
    const { ctx, record } = this;
    const grace = numberAt(ctx.pod, 'spec', 'terminationGracePeriodSeconds') ?? 30;
    this.prober = new Prober(
      this.spec,
      {
        docker: ctx.docker,
        containerId,
        socketPath: sandbox.socketPath,
        podIp: ctx.podIp(),
        ports: objectsAt(this.spec, 'ports'),
      },
      ctx.settings.probeTimeScale,
      {
        started: () => {
          record.started = true;
          ctx.changed();
        },
        ready: (ready) => {
          record.ready = ready;
          ctx.changed();
        },
        unhealthy: (kind, message) => {
          ctx.event('Warning', 'Unhealthy', `${kind} probe failed: ${message}`);
        },
        failed: (kind) => {
          ctx.event(
            'Normal',
            'Killing',
            `Container ${record.name} failed ${kind.toLowerCase()} probe, will be restarted`,
          );
          void this.current?.stop({ t: grace }).catch(() => undefined);
        },
      },
    );
    this.prober.start();
  }

  private async remove(container: Docker.Container): Promise<void> {
    await container.remove({ force: true }).catch(() => undefined);
    this.ctx.untrack(container.id);
  }
}
