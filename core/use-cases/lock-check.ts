import { lockLetsThrough, type DeployLock, type ServiceTarget } from '../domain/deploy-lock.js';
import { callBudget, type CommandDependencies } from './command-dependencies.js';
import { withDeadline } from './deadline.js';

/**
 * The lock that refuses this person's deploy to the target: someone else's. Undefined when there
 * is none or it is their own; `unavailable` when the lock store did not answer in time.
 */
export async function standingLock(
  target: ServiceTarget,
  userId: string,
  deps: Pick<CommandDependencies, 'locks' | 'logger' | 'callBudgetMs' | 'answerBy'>,
): Promise<DeployLock | undefined | 'unavailable'> {
  try {
    const lock = await withDeadline(
      deps.locks.get(target),
      callBudget(deps, 'queue'),
      'QUEUE_UNAVAILABLE',
      'the lock store',
    );
    if (lock === undefined || lockLetsThrough(lock, userId)) return undefined;
    deps.logger.info({ ...target, lockedBy: lock.by.id }, 'deploy refused: locked');
    return lock;
  } catch (error) {
    deps.logger.error({ err: error }, 'locks could not be read');
    return 'unavailable';
  }
}
