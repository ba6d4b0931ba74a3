/**
 * Instant stand-ins for a deploy's external steps (the test gate's sandbox, build, push, helm,
 * rollout), for the orchestration and worker-memory figures: everything else a deploy does (the
 * queue, the locks, the runner, the records, the reporting to Slack) stays real. Unlike the test
 * fakes (test/support/fakes), they keep nothing per deploy, so that a memory figure measures the
 * worker and not what a fake remembers: helm keeps each release's last 10 revisions, as
 * `helm upgrade`'s --history-max does by default.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ReleaseRef } from '../core/domain/catalog.js';
import { DeployError } from '../core/domain/deploy-error.js';
import type { Cluster, RolloutProgressReport } from '../core/ports/cluster.js';
import type { Helm, ReleaseRevision } from '../core/ports/helm.js';
import type { ImageBuilder } from '../core/ports/image-builder.js';
import type { ProgramResult, ProgramRunner } from '../core/ports/program-runner.js';
import type { StagePortsOverride } from '../worker/worker-dependencies.js';

/** helm upgrade's default --history-max. */
export const HISTORY_MAX = 10;

function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** Every program exits 0 at once (the test gate passes). */
class InstantPrograms implements ProgramRunner {
  run(): Promise<ProgramResult> {
    return Promise.resolve({ kind: 'exited', exitCode: 0, stdout: '' });
  }
}

class InstantBuilder implements ImageBuilder {
  build(request: { tags: string[] }): Promise<{ imageId: string }> {
    return Promise.resolve({ imageId: sha256(request.tags.join(',')) });
  }
  push(request: { reference: string }): Promise<{ digest: string }> {
    return Promise.resolve({ digest: sha256(request.reference) });
  }
  /** A new digest each time: every instant deploy runs its whole path, never a reuse. */
  contextDigest(): Promise<string> {
    return Promise.resolve(randomBytes(32).toString('hex'));
  }
  remove(): Promise<void> {
    return Promise.resolve();
  }
}

/** The revisions a release keeps: the newest `max`, the latest deployed and the rest superseded. */
export function nextRevisions(
  revisions: readonly ReleaseRevision[],
  description: string,
  max = HISTORY_MAX,
): ReleaseRevision[] {
  const revision = (revisions.at(-1)?.revision ?? 0) + 1;
  const older = revisions.map((r) =>
    r.status === 'deployed' ? { ...r, status: 'superseded' } : r,
  );
  const latest = { revision, status: 'deployed', chart: 'hello-world-0.1.0', appVersion: '1.0' };
  return [...older, { ...latest, description, updatedAt: new Date() }].slice(-max);
}

class InstantHelm implements Helm {
  private readonly releases = new Map<string, ReleaseRevision[]>();

  private revisions(ref: ReleaseRef): ReleaseRevision[] {
    return this.releases.get(`${ref.kubeContext ?? ''}/${ref.namespace}/${ref.release}`) ?? [];
  }

  private record(ref: ReleaseRef, description: string): Promise<number> {
    const revisions = nextRevisions(this.revisions(ref), description);
    this.releases.set(`${ref.kubeContext ?? ''}/${ref.namespace}/${ref.release}`, revisions);
    return Promise.resolve(revisions.at(-1)?.revision ?? 1);
  }

  version(): Promise<string> {
    return Promise.resolve('v4.0.0-instant');
  }
  template(): Promise<string> {
    return Promise.resolve('');
  }
  upgradeInstall(request: ReleaseRef): Promise<number> {
    const first = this.revisions(request).length === 0;
    return this.record(request, first ? 'Install complete' : 'Upgrade complete');
  }
  history(release: ReleaseRef): Promise<ReleaseRevision[]> {
    return Promise.resolve(this.revisions(release));
  }
  rollback(request: ReleaseRef & { revision: number }): Promise<number> {
    return this.record(request, `Rollback to ${String(request.revision)}`);
  }
  status(release: ReleaseRef) {
    const latest = this.revisions(release).at(-1);
    return Promise.resolve(latest && { ...release, ...latest });
  }
  uninstall(release: ReleaseRef): Promise<void> {
    this.releases.delete(`${release.kubeContext ?? ''}/${release.namespace}/${release.release}`);
    return Promise.resolve();
  }
  values(): Promise<Record<string, unknown>> {
    return Promise.reject(new DeployError('HELM_FAILED', 'the instant helm keeps no values'));
  }
}

class InstantCluster implements Cluster {
  listPods() {
    return Promise.resolve([]);
  }
  serviceAddress(_target: unknown, release: string) {
    const host = '127.0.0.1';
    return Promise.resolve({
      kind: 'node-port' as const,
      host,
      port: 30080,
      url: `http://${host}:30080/${release}`,
    });
  }
  waitForRollout(request: { onProgress?: (report: RolloutProgressReport) => void }) {
    const report = { desired: 1, updated: 1, ready: 1, message: '1/1 ready' };
    request.onProgress?.(report);
    return Promise.resolve(report);
  }
}

/** The stages' ports, each answering at once. */
export function instantStagePorts(): Required<StagePortsOverride> {
  const programs = new InstantPrograms();
  return {
    programs,
    testRunner: programs,
    builder: new InstantBuilder(),
    helm: new InstantHelm(),
    cluster: new InstantCluster(),
  };
}
