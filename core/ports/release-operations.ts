import type { ReleaseRef } from '../domain/catalog.js';

/** A helm command that changes a release, as started by a deploy: what it would leave behind. */
export interface ReleaseOperation {
  /** The deploy job that ran it. */
  jobId: string;
  operation: 'upgrade' | 'rollback' | 'uninstall';
  /** The revision the command records (pending while it runs). */
  revision: number;
  startedAt: string;
}

/**
 * What Harbormaster's helm commands are doing to each release, kept outside the worker: a
 * release found `pending-*` is Harbormaster's to recover only when one of its deploys left it so.
 */
export interface ReleaseOperations {
  begin(release: ReleaseRef, operation: ReleaseOperation): Promise<void>;
  /** The command ended (either way): the release is no longer pending because of it. */
  end(release: ReleaseRef, operation: ReleaseOperation): Promise<void>;
  /** The last command begun and not ended. */
  current(release: ReleaseRef): Promise<ReleaseOperation | undefined>;
}
