import type { BrakeCommand } from '../domain/brake-command.js';
import type { BrakeOutcome } from '../domain/brake-outcomes.js';
import type { ChatAddress } from '../domain/chat-address.js';
import type { RequestDeployOutcome } from '../domain/command-outcomes.js';
import { cancelDeploy } from './cancel-deploy.js';
import type { CommandDependencies } from './command-dependencies.js';
import { auditQuery, deployHistory } from './history-query.js';
import { listLocks, lockService, unlockService } from './lock-commands.js';
import { requestRollback } from './rollback-request.js';

export type BrakeCommandOutcome = (BrakeOutcome & { announced?: boolean }) | RequestDeployOutcome;

/**
 * The brake commands typed after `/deploy`, on any surface: lock, unlock, locks, cancel,
 * rollback (queued like a deploy: the surface announces it), history and audit.
 */
export function brakeCommand(
  command: BrakeCommand,
  input: { origin: Omit<ChatAddress, 'message'>; requestId: string },
  deps: CommandDependencies,
): Promise<BrakeCommandOutcome> {
  const { origin } = input;
  switch (command.kind) {
    case 'lock':
      return lockService({ command, origin }, deps);
    case 'unlock':
      return unlockService({ command, origin }, deps);
    case 'locks':
      return listLocks(deps);
    case 'cancel':
      return cancelDeploy({ deployId: command.deployId, by: origin.user }, deps);
    case 'rollback':
      return requestRollback({ command, origin, requestId: input.requestId }, deps);
    case 'history':
      return deployHistory(command, deps);
    case 'audit':
      return auditQuery(command.subject, deps);
  }
}
