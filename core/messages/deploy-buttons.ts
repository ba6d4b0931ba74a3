import { BUTTON_ACTIONS, buttonValue } from '../domain/button-actions.js';
import type { DeployProgress } from '../domain/deploy-progress.js';
import type { DeployRequest } from '../domain/deploy-request.js';
import type { Block, Button } from '../ports/chat-message.js';

/** Cancel: on a deploy's message while it is queued or running. */
export function cancelButton(jobId: string): Button {
  return {
    actionId: BUTTON_ACTIONS.cancel,
    value: buttonValue({ action: 'cancel', jobId }),
    label: 'Cancel',
    style: 'danger',
  };
}

/** Rollback: on a finished or failed deploy's message; back to the previous successful revision. */
export function rollbackButton(
  request: Pick<DeployRequest, 'id' | 'service' | 'environment'>,
): Button {
  return {
    actionId: BUTTON_ACTIONS.rollback,
    value: buttonValue({
      action: 'rollback',
      jobId: request.id,
      service: request.service,
      environment: request.environment,
    }),
    label: 'Rollback',
  };
}

/** The buttons a deploy's message carries now: Cancel while it runs, Rollback once it ended. */
export function progressButtons(progress: DeployProgress): Block[] {
  if (progress.cancelled !== undefined) return [];
  if (progress.finishedAt === undefined) {
    return [{ kind: 'actions', buttons: [cancelButton(progress.request.id)] }];
  }
  if (progress.request.kind === 'rollback') return [];
  return [{ kind: 'actions', buttons: [rollbackButton(progress.request)] }];
}
