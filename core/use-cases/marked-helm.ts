import { isDeployError } from '../domain/deploy-error.js';
import type { Helm, ReleaseRef } from '../ports/helm.js';
import type { ReleaseOperation, ReleaseOperations } from '../ports/release-operations.js';

/**
 * Helm, with each command that changes a release written down first: which job runs it and the
 * revision it will record. If the worker dies mid-command, the release is left `pending-*` and
 * the note stays, so the next deploy knows the pending state is ours and recovers it. A command
 * that ended on its own (done, or refused by helm) ends its note; one we stopped (cancel, time
 * limit) keeps it, as it may have left the release pending.
 */
export function markedHelm(helm: Helm, operations: ReleaseOperations, jobId: string): Helm {
  async function marked<T>(
    release: ReleaseRef,
    operation: ReleaseOperation['operation'],
    run: () => Promise<T>,
  ): Promise<T> {
    const latest = (await helm.history(release)).at(-1)?.revision ?? 0;
    const note: ReleaseOperation = {
      jobId,
      operation,
      revision: operation === 'uninstall' ? latest : latest + 1,
      startedAt: new Date().toISOString(),
    };
    await operations.begin(release, note);
    try {
      const result = await run();
      await operations.end(release, note);
      return result;
    } catch (error) {
      if (isDeployError(error, 'HELM_FAILED')) await operations.end(release, note);
      throw error;
    }
  }
  return {
    version: () => helm.version(),
    template: (request) => helm.template(request),
    history: (release) => helm.history(release),
    status: (release) => helm.status(release),
    values: (release, revision) => helm.values(release, revision),
    upgradeInstall: (request) => marked(request, 'upgrade', () => helm.upgradeInstall(request)),
    rollback: (request) => marked(request, 'rollback', () => helm.rollback(request)),
    uninstall: (request) => marked(request, 'uninstall', () => helm.uninstall(request)),
  };
}
