import type { Catalog } from '../domain/catalog.js';
import type { Logger } from '../logger.js';
import type { ActionClaims } from '../ports/action-claims.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { CancelRequests } from '../ports/cancel-requests.js';
import type { Chat } from '../ports/chat.js';
import type { Cluster } from '../ports/cluster.js';
import type { DeployHistory } from '../ports/deploy-history.js';
import type { DeployJobs } from '../ports/deploy-jobs.js';
import type { DeployLocks } from '../ports/deploy-locks.js';
import type { DeployQueue } from '../ports/deploy-queue.js';
import type { Directory } from '../ports/directory.js';

/** What the commands a person types work with, whichever chat surface they typed them in. */
export interface CommandDependencies {
  catalog: Catalog;
  queue: DeployQueue;
  directory: Directory;
  cluster: Cluster;
  chat: Chat;
  /** The brakes and the rear-view mirror: locks, cancels, button claims, history, audit. */
  locks: DeployLocks;
  jobs: DeployJobs;
  cancels: CancelRequests;
  claims: ActionClaims;
  history: DeployHistory;
  audit: AuditLog;
  logger: Logger;
  now?: () => Date;
  /** Budget for each outside call made before the surface must answer (Slack: 3 seconds). */
  callBudgetMs?: { authorisation: number; queue: number };
  /**
   * When the surface must have answered (epoch ms): every call's budget ends there too, so that
   * several slow calls in a row cannot add up past it.
   */
  answerBy?: number;
}

export const DEFAULT_CALL_BUDGET = { authorisation: 1000, queue: 1500 };

/** How long one outside call may take: its own budget, and never past `answerBy`. */
export function callBudget(
  deps: Pick<CommandDependencies, 'callBudgetMs' | 'answerBy'>,
  call: keyof typeof DEFAULT_CALL_BUDGET,
): number {
  const own = (deps.callBudgetMs ?? DEFAULT_CALL_BUDGET)[call];
  if (deps.answerBy === undefined) return own;
  return Math.max(0, Math.min(own, deps.answerBy - Date.now()));
}
