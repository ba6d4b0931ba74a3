import { z } from 'zod';
import { DEPLOY_ID } from './brake-command.js';
import { environmentName, serviceName } from './names.js';

/** The buttons Harbormaster puts on messages: each action id, and what its value carries. */
export const BUTTON_ACTIONS = {
  cancel: 'harbormaster-cancel',
  rollback: 'harbormaster-rollback',
  unlock: 'harbormaster-unlock',
} as const;

export type ButtonActionId = (typeof BUTTON_ACTIONS)[keyof typeof BUTTON_ACTIONS];

const cancelValue = z.strictObject({ jobId: z.string().regex(DEPLOY_ID) });
const targetValue = z.strictObject({ service: serviceName, environment: environmentName });
const rollbackValue = targetValue.extend({ jobId: z.string().regex(DEPLOY_ID) });

/** A button press, understood: a value comes back from the client and is read, never trusted. */
export type ButtonPress =
  | ({ action: 'cancel' } & z.infer<typeof cancelValue>)
  | ({ action: 'rollback' } & z.infer<typeof rollbackValue>)
  | ({ action: 'unlock' } & z.infer<typeof targetValue>);

function parseJson(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

/** The press of one of our buttons; undefined for an unknown action or a value we did not make. */
export function readButtonPress(actionId: string, value: string): ButtonPress | undefined {
  const json = parseJson(value);
  switch (actionId) {
    case BUTTON_ACTIONS.cancel: {
      const parsed = cancelValue.safeParse(json);
      return parsed.success ? { action: 'cancel', ...parsed.data } : undefined;
    }
    case BUTTON_ACTIONS.rollback: {
      const parsed = rollbackValue.safeParse(json);
      return parsed.success ? { action: 'rollback', ...parsed.data } : undefined;
    }
    case BUTTON_ACTIONS.unlock: {
      const parsed = targetValue.safeParse(json);
      return parsed.success ? { action: 'unlock', ...parsed.data } : undefined;
    }
    default:
      return undefined;
  }
}

/** The value a button carries for a press, as readButtonPress reads it back. */
export function buttonValue(press: ButtonPress): string {
  const value: Record<string, unknown> = { ...press };
  delete value.action;
  return JSON.stringify(value);
}
