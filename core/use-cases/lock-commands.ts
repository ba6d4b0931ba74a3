import type {
  BrakeUnavailable,
  LockOutcome,
  TargetRefused,
  UnlockOutcome,
} from '../domain/brake-outcomes.js';
import type { ChatAddress } from '../domain/chat-address.js';
import { targetKey, type DeployLock } from '../domain/deploy-lock.js';
import { lockedMessage, unlockedMessage } from '../messages/lock-messages.js';
import type { ChatMessage } from '../ports/chat-message.js';
import { audit, mayActOn, resolveTarget } from './brake-support.js';
import { callBudget, type CommandDependencies } from './command-dependencies.js';
import { withDeadline } from './deadline.js';
import { notifyLockHolder } from './lock-notices.js';

type Dependencies = Pick<
  CommandDependencies,
  | 'catalog'
  | 'directory'
  | 'locks'
  | 'audit'
  | 'chat'
  | 'logger'
  | 'now'
  | 'callBudgetMs'
  | 'answerBy'
>;

type Origin = Omit<ChatAddress, 'message'>;

/** The team sees locks come and go: said in the channel; false when the chat would not take it. */
async function announce(channel: string, message: ChatMessage, deps: Dependencies) {
  try {
    await deps.chat.post(channel, message);
    return true;
  } catch (error) {
    deps.logger.warn({ err: error, channel }, 'could not announce the lock in the channel');
    return false;
  }
}

function unavailable(what: string): BrakeUnavailable {
  return { kind: 'brake-unavailable', what };
}

/** `/deploy lock <service> [to <environment>] <reason>`: a deployer there says "not now". */
export async function lockService(
  input: { command: { service: string; environment?: string; reason: string }; origin: Origin },
  deps: Dependencies,
): Promise<(LockOutcome & { announced: boolean }) | TargetRefused | BrakeUnavailable> {
  const resolved = resolveTarget(deps.catalog, input.command);
  if (!('ok' in resolved)) return resolved;
  const { target } = resolved;
  const what = `lock ${target.service} → ${target.environment}`;
  const right = await mayActOn(input.origin.user, target.environment, deps);
  if (right === undefined) return unavailable(what);
  if (right !== true) return right;
  const lock: DeployLock = {
    ...target,
    by: input.origin.user,
    reason: input.command.reason,
    lockedAt: (deps.now ?? (() => new Date()))().toISOString(),
    channel: input.origin.channel,
    ...(input.origin.workspace === undefined ? {} : { workspace: input.origin.workspace }),
  };
  let held: DeployLock;
  try {
    const taken = await withDeadline(
      deps.locks.take(lock),
      callBudget(deps, 'queue'),
      'QUEUE_UNAVAILABLE',
      'the lock store',
    );
    if ('taken' in taken) {
      await audit(deps, { action: 'lock', actor: lock.by, ...target, detail: lock.reason });
      const message = lockedMessage(lock, taken.replaced);
      const announced = await announce(input.origin.channel, message, deps);
      return { kind: 'locked', lock, replaced: taken.replaced, announced };
    }
    held = taken.heldBy;
  } catch (error) {
    deps.logger.error({ err: error }, 'lock could not be taken');
    return unavailable(what);
  }
  await audit(deps, {
    action: 'refused',
    actor: lock.by,
    ...target,
    detail: `lock: already locked by @${held.by.name}`,
  });
  return { kind: 'lock-held', lock: held, announced: false };
}

/** `/deploy unlock … [--force]`: its holder unlocks; a deployer forces someone else's open. */
export async function unlockService(
  input: { command: { service: string; environment?: string; force: boolean }; origin: Origin },
  deps: Dependencies,
): Promise<(UnlockOutcome & { announced: boolean }) | TargetRefused | BrakeUnavailable> {
  const resolved = resolveTarget(deps.catalog, input.command);
  if (!('ok' in resolved)) return resolved;
  const { target } = resolved;
  const by = input.origin.user;
  const what = `unlock ${target.service} → ${target.environment}`;
  try {
    const lock = await deps.locks.get(target);
    if (lock === undefined) return { kind: 'not-locked', target, announced: false };
    const theirs = lock.by.id !== by.id;
    if (theirs && !input.command.force) {
      await audit(deps, {
        action: 'refused',
        actor: by,
        ...target,
        detail: `unlock: locked by @${lock.by.name}`,
      });
      return { kind: 'unlock-refused', lock, announced: false };
    }
    if (theirs) {
      const right = await mayActOn(by, target.environment, deps);
      if (right === undefined) return unavailable(what);
      if (right !== true) return right;
    }
    const removed = await deps.locks.remove(target, theirs ? undefined : by.id);
    if (removed === undefined) return { kind: 'not-locked', target, announced: false };
    const forced = removed.by.id !== by.id;
    const detail = forced
      ? `forced: removed the lock of @${removed.by.name} (${removed.reason})`
      : targetKey(target);
    await audit(deps, { action: 'unlock', actor: by, ...target, detail });
    if (forced) await notifyLockHolder(removed, by, deps);
    const announced = await announce(removed.channel, unlockedMessage(removed, by, forced), deps);
    return { kind: 'unlocked', lock: removed, by, forced, announced };
  } catch (error) {
    deps.logger.error({ err: error }, 'lock could not be removed');
    return unavailable(what);
  }
}

/** `/deploy locks`: every lock, oldest first. */
export async function listLocks(
  deps: Pick<CommandDependencies, 'locks' | 'logger'>,
): Promise<{ kind: 'locks'; locks: DeployLock[] } | BrakeUnavailable> {
  try {
    return { kind: 'locks', locks: await deps.locks.list() };
  } catch (error) {
    deps.logger.error({ err: error }, 'locks could not be listed');
    return unavailable('list the locks');
  }
}
