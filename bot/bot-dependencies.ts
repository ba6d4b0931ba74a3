import type { Catalog } from '../core/domain/catalog.js';
import type { Logger } from '../core/logger.js';
import type { Cluster } from '../core/ports/cluster.js';
import type { DeployQueue } from '../core/ports/deploy-queue.js';
import type { Directory } from '../core/ports/directory.js';

/** Everything the bot's handlers use, passed in: no module-level singletons. */
export interface BotDependencies {
  catalog: Catalog;
  queue: DeployQueue;
  directory: Directory;
  cluster: Cluster;
  logger: Logger;
  now?: () => Date;
  /** Budget for each outside call made before Slack's 3-second deadline. */
  callBudgetMs?: { authorisation: number; queue: number };
}

export const DEFAULT_CALL_BUDGET = { authorisation: 1000, queue: 1500 };
