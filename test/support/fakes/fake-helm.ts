import { DeployError } from '../../../core/domain/deploy-error.js';
import type {
  Helm,
  ReleaseRef,
  ReleaseRevision,
  ReleaseStatus,
  RollbackRequest,
  TemplateRequest,
  UpgradeInstallRequest,
} from '../../../core/ports/helm.js';

interface Revision extends ReleaseRevision {
  /** The values it was installed with (--set-string). */
  values: Readonly<Record<string, string>>;
}

type Method = 'upgradeInstall' | 'rollback' | 'history' | 'status';

/**
 * Helm in memory: releases keep their revisions as helm does (the latest deployed, the others
 * superseded; a rollback records a new revision with the old values).
 */
export class FakeHelm implements Helm {
  private readonly releases = new Map<string, Revision[]>();
  private readonly failures: { method: Method; error: DeployError }[] = [];

  /** The next call of `method` fails with `error`. */
  failNext(method: Method, error: DeployError): void {
    this.failures.push({ method, error });
  }

  /** A release's revisions, oldest first. */
  revisions(ref: ReleaseRef): Revision[] {
    return this.releases.get(key(ref)) ?? [];
  }

  /** The values of the release's current revision (e.g. `image.tag`). */
  current(ref: ReleaseRef): Readonly<Record<string, string>> | undefined {
    return this.revisions(ref).at(-1)?.values;
  }

  version(): Promise<string> {
    return Promise.resolve('v4.0.0-fake');
  }

  template(request: TemplateRequest): Promise<string> {
    return Promise.resolve(`# ${request.release} from ${request.chartPath}\n`);
  }

  upgradeInstall(request: UpgradeInstallRequest): Promise<number> {
    return this.call('upgradeInstall', () => {
      const revisions = this.revisions(request);
      const first = revisions.length === 0;
      return this.record(request, {
        values: request.setStrings ?? {},
        description: first ? 'Install complete' : 'Upgrade complete',
      });
    });
  }

  history(release: ReleaseRef): Promise<ReleaseRevision[]> {
    return this.call('history', () =>
      this.revisions(release).map((revision) => ({
        revision: revision.revision,
        status: revision.status,
        chart: revision.chart,
        appVersion: revision.appVersion,
        description: revision.description,
      })),
    );
  }

  rollback(request: RollbackRequest): Promise<number> {
    return this.call('rollback', () => {
      const target = this.revisions(request).find((r) => r.revision === request.revision);
      if (target === undefined) {
        throw new DeployError('HELM_FAILED', `release has no revision ${request.revision}`);
      }
      return this.record(request, {
        values: target.values,
        description: `Rollback to ${request.revision}`,
      });
    });
  }

  uninstall(release: ReleaseRef): Promise<void> {
    this.releases.delete(key(release));
    return Promise.resolve();
  }

  values(release: ReleaseRef, revision: number): Promise<Record<string, unknown>> {
    const found = this.revisions(release).find((r) => r.revision === revision);
    if (found === undefined) {
      return Promise.reject(new DeployError('HELM_FAILED', `release has no revision ${revision}`));
    }
    const nested: Record<string, Record<string, string>> = {};
    for (const [path, value] of Object.entries(found.values)) {
      const [head = path, ...rest] = path.split('.');
      nested[head] = { ...nested[head], [rest.join('.')]: value };
    }
    return Promise.resolve(nested);
  }

  status(release: ReleaseRef): Promise<ReleaseStatus | undefined> {
    const latest = this.revisions(release).at(-1);
    return this.call('status', () =>
      latest === undefined
        ? undefined
        : {
            ...release,
            revision: latest.revision,
            status: latest.status,
            description: latest.description,
          },
    );
  }

  private record(ref: ReleaseRef, change: Pick<Revision, 'values' | 'description'>): number {
    const revisions = this.revisions(ref);
    for (const revision of revisions) {
      if (revision.status === 'deployed') revision.status = 'superseded';
    }
    const revision = (revisions.at(-1)?.revision ?? 0) + 1;
    revisions.push({
      revision,
      status: 'deployed',
      chart: 'chart-0.1.0',
      appVersion: '1.0',
      ...change,
    });
    this.releases.set(key(ref), revisions);
    return revision;
  }

  private call<T>(method: Method, run: () => T): Promise<T> {
    const index = this.failures.findIndex((failure) => failure.method === method);
    const failure = index >= 0 ? this.failures.splice(index, 1)[0] : undefined;
    if (failure !== undefined) return Promise.reject(failure.error);
    try {
      return Promise.resolve(run());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

function key(ref: ReleaseRef): string {
  return `${ref.kubeContext ?? ''}/${ref.namespace}/${ref.release}`;
}
