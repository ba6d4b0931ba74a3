import { createHash } from 'node:crypto';
import type {
  BrakeUnavailable,
  CancelOutcome,
  PressOutcome,
  TargetRefused,
  UnlockOutcome,
} from '../domain/brake-outcomes.js';
import { readButtonPress, type ButtonPress } from '../domain/button-actions.js';
import type { ChatAddress, ChatUser } from '../domain/chat-address.js';
import type { RequestDeployOutcome } from '../domain/command-outcomes.js';
import { audit, mayActOn } from './brake-support.js';
import { cancelDeploy } from './cancel-deploy.js';
import type { CommandDependencies } from './command-dependencies.js';
import { unlockService } from './lock-commands.js';
import { requestRollback } from './rollback-request.js';

export interface PressInput {
  actionId: string;
  /** As the surface received it: read, never trusted. */
  value: string;
  /** Who pressed, where; `message` is the message the button is on. */
  origin: ChatAddress;
  /** One per press, however often the surface delivers it: a rollback's job id. */
  requestId: string;
}

export type PressButtonOutcome =
  | PressOutcome
  | CancelOutcome
  | (UnlockOutcome & { announced: boolean })
  | RequestDeployOutcome
  | TargetRefused
  | BrakeUnavailable;

/** The environment a press acts on: the button's own, or the deploy's a Cancel stops. */
async function environmentOf(
  press: ButtonPress,
  deps: CommandDependencies,
): Promise<{ environment: string } | PressButtonOutcome> {
  if (press.action !== 'cancel') return { environment: press.environment };
  const job = await deps.jobs.find(press.jobId);
  if (job === undefined) return { kind: 'unknown-deploy', deployId: press.jobId };
  if (job.state === 'finished') {
    return { kind: 'already-ended', request: job.request, jobId: press.jobId };
  }
  return { environment: job.request.environment };
}

/**
 * May this person press it? Only someone who may deploy to the environment presses Cancel,
 * Rollback or Unlock (even on their own deploy or lock: a right taken away is gone). Refusals do
 * not use the button up; an answer that ends it early neither.
 */
async function check(
  press: ButtonPress,
  user: ChatUser,
  deps: CommandDependencies,
): Promise<PressButtonOutcome | undefined> {
  const found = await environmentOf(press, deps);
  if (!('environment' in found)) return found;
  const { environment } = found;
  const right = await mayActOn(user, environment, deps);
  if (right === undefined) return { kind: 'brake-unavailable', what: `do that (${press.action})` };
  if (right !== true) {
    const detail = `${press.action} button: NOT_AUTHORISED`;
    await audit(deps, { action: 'refused', actor: user, environment, detail });
    return right;
  }
  if (press.action !== 'unlock') return undefined;
  const lock = await deps.locks.get(press);
  if (lock === undefined) return { kind: 'not-locked', target: press, announced: false };
  return lock.by.id === user.id ? undefined : { kind: 'unlock-refused', lock, announced: false };
}

function act(
  press: ButtonPress,
  input: PressInput,
  deps: CommandDependencies,
): Promise<PressButtonOutcome> {
  const { workspace, channel, user } = input.origin;
  const origin = { ...(workspace === undefined ? {} : { workspace }), channel, user };
  switch (press.action) {
    case 'cancel':
      return cancelDeploy({ deployId: press.jobId, by: origin.user }, deps);
    case 'rollback':
      return requestRollback(
        {
          command: { service: press.service, environment: press.environment },
          origin,
          requestId: input.requestId,
        },
        deps,
      );
    case 'unlock':
      return unlockService({ command: { ...press, force: false }, origin }, deps);
  }
}

const NOTHING_DONE = new Set([
  'brake-unavailable',
  'queue-unavailable',
  'authorisation-unavailable',
  'refused',
  'locked',
]);

/** One button, one action: the same press on the same message, by anyone, is claimed once. */
function claimKey(input: PressInput): string {
  const where = [
    input.actionId,
    input.origin.channel,
    input.origin.message ?? input.requestId,
    input.value,
  ];
  return createHash('sha256').update(where.join('\n')).digest('hex').slice(0, 40);
}

/**
 * A press of one of Harbormaster's buttons (Cancel, Rollback, Unlock), on any surface: the value
 * read back against what we put there, the presser's right checked, then claimed so that a
 * second press acts no more, then the action's own use case.
 */
export async function pressButton(
  input: PressInput,
  deps: CommandDependencies,
): Promise<PressButtonOutcome> {
  const press = readButtonPress(input.actionId, input.value);
  if (press === undefined) return { kind: 'unknown-button' };
  const { user } = input.origin;
  try {
    const refused = await check(press, user, deps);
    if (refused !== undefined) return refused;
    const key = claimKey(input);
    const claim = await deps.claims.claim(key, user);
    if (!claim.won) {
      await audit(deps, {
        action: 'refused',
        actor: user,
        detail: `${press.action} button pressed again (first by @${claim.by.name})`,
      });
      return { kind: 'already-pressed', by: claim.by, at: claim.at };
    }
    const outcome = await act(press, input, deps);
    if (NOTHING_DONE.has(outcome.kind)) await deps.claims.release(key);
    return outcome;
  } catch (error) {
    deps.logger.error({ err: error, action: press.action }, 'button press failed');
    return { kind: 'brake-unavailable', what: `do that (${press.action})` };
  }
}
