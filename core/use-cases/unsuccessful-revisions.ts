import type { ServiceTarget } from '../domain/deploy-lock.js';
import type { DeployHistory } from '../ports/deploy-history.js';

/** How far back the history is read for revisions that did not succeed. */
const LOOK_BACK = 100;

/**
 * The helm revisions our deploys made that did not succeed (failed, or cancelled and undone):
 * helm calls them `superseded` like any other, a rollback must not go back to them.
 */
export async function unsuccessfulRevisions(
  target: ServiceTarget,
  history: DeployHistory,
): Promise<ReadonlySet<number>> {
  const records = await history.list(target, LOOK_BACK);
  return new Set(
    records.flatMap((record) =>
      record.result !== 'succeeded' && record.revision !== undefined ? [record.revision] : [],
    ),
  );
}
