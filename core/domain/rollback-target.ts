/** A revision as `helm history` lists it: enough to choose one to go back to. */
export interface RevisionFacts {
  revision: number;
  status: string;
}

export type RollbackChoice =
  { ok: true; current: number; target: number } | { ok: false; reason: string };

const PENDING = /^pending-/;

/**
 * The revision a rollback goes back to: the one asked for, or the latest before the deployed one
 * that ran successfully. helm marks every replaced revision `superseded`, even one whose rollout
 * failed and was rolled back; `unsuccessful` (from our own history) names those.
 */
export function chooseRollbackTarget(
  history: readonly RevisionFacts[],
  unsuccessful: ReadonlySet<number>,
  asked?: number,
): RollbackChoice {
  const current = history.filter((entry) => entry.status === 'deployed').at(-1);
  if (current === undefined) {
    return { ok: false, reason: 'the release has no deployed revision to roll back from' };
  }
  if (asked !== undefined) {
    const wanted = history.find((entry) => entry.revision === asked);
    if (wanted === undefined) {
      const kept = history.map((entry) => entry.revision);
      const range = kept.length === 0 ? 'none' : `${Math.min(...kept)}–${Math.max(...kept)}`;
      return {
        ok: false,
        reason: `revision ${asked} is not among the revisions helm keeps (${range})`,
      };
    }
    if (PENDING.test(wanted.status)) {
      return { ok: false, reason: `revision ${asked} never finished (${wanted.status})` };
    }
    return { ok: true, current: current.revision, target: asked };
  }
  const earlier = history.filter(
    (entry) =>
      entry.revision < current.revision &&
      entry.status === 'superseded' &&
      !unsuccessful.has(entry.revision),
  );
  const target = earlier.at(-1);
  if (target === undefined) {
    return {
      ok: false,
      reason: `there is no successful revision before revision ${current.revision} to go back to`,
    };
  }
  return { ok: true, current: current.revision, target: target.revision };
}
