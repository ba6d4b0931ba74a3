import type { DeployResult } from '../domain/deploy-record.js';
import type { DeployRequest } from '../domain/deploy-request.js';
import type { Logger } from '../logger.js';
import type { DeployHistory } from '../ports/deploy-history.js';
import type { LockHolder } from '../ports/release-lock.js';
import type { ProgressReporter } from '../reporting/progress-reporter.js';
import type { ProgressNote } from '../domain/deploy-progress.js';

/** How far back a resumed job looks for its own record: its release's latest deploys. */
const RECENT_RECORDS = 50;

/**
 * How an earlier attempt of this job ended, when one did: a worker that lost the job (its queue
 * lock lapsed while it was busy) still ran the deploy to its end, and wrote it down before it let
 * the release go. undefined: no attempt ended it, so this one runs it.
 */
export async function endedByEarlierAttempt(
  request: DeployRequest,
  deps: { history: DeployHistory; logger: Logger },
): Promise<Exclude<DeployResult, 'queued' | 'running'> | undefined> {
  const target = { service: request.service, environment: request.environment };
  try {
    const records = await deps.history.list(target, RECENT_RECORDS);
    const result = records.find((record) => record.jobId === request.id)?.result;
    return result === 'queued' || result === 'running' ? undefined : result;
  } catch (error) {
    // Unknown: the deploy runs (a second run of a deploy that ended is the lesser harm).
    deps.logger.warn({ err: error }, 'could not read the deploy history of a resumed job');
    return undefined;
  }
}

/** Whom this deploy waits behind, as far as the holder said. */
function waitingNote(holder: LockHolder): ProgressNote {
  const { deploy, requestedBy } = holder;
  if (deploy === undefined) return { kind: 'text', text: 'Waiting behind another deploy of it' };
  return { kind: 'waiting-behind', deploy, ...(requestedBy === undefined ? {} : { requestedBy }) };
}

/**
 * The release is held: the message says whom this deploy waits behind, once. Nothing when the
 * holder is this job's own earlier attempt, which still runs and shows itself in the message.
 */
export async function tellWaiting(
  jobId: string,
  holder: LockHolder,
  toldWaitingBehind: string | undefined,
  reporter: ProgressReporter,
): Promise<void> {
  if (holder.jobId === jobId || holder.jobId === toldWaitingBehind) return;
  reporter.report({ type: 'note', note: waitingNote(holder) });
  await reporter.settle();
}
