import type { ChatAddress } from '../domain/chat-address.js';
import type { RequestDeployOutcome } from '../domain/command-outcomes.js';
import type { CommandDependencies } from './command-dependencies.js';
import { requestDeploy } from './request-deploy.js';

/** What a rollback job carries as its ref: only its aim, for logs and the double-submit check. */
export function rollbackRef(revision: number | undefined): string {
  return revision === undefined ? 'previous' : `revision-${revision}`;
}

/**
 * `/deploy rollback <service> [to <environment>] [revision]` and the Rollback button: a job of
 * the rollback kind, through the same checks, lock, queue, progress and notifications as a
 * deploy. The worker picks the revision (the previous successful one unless one is named).
 */
export function requestRollback(
  input: {
    command: { service: string; environment?: string; revision?: number };
    origin: Omit<ChatAddress, 'message'>;
    requestId: string;
  },
  deps: CommandDependencies,
): Promise<RequestDeployOutcome> {
  const { service, environment, revision } = input.command;
  return requestDeploy(
    {
      command: {
        service,
        ref: rollbackRef(revision),
        ...(environment === undefined ? {} : { environment }),
      },
      origin: input.origin,
      requestId: input.requestId,
      rollback: revision === undefined ? {} : { revision },
    },
    deps,
  );
}
