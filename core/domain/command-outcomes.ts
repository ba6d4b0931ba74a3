import type { BrakeOutcome } from './brake-outcomes.js';
import type { Deployers } from './catalog.js';
import type { DeployLock } from './deploy-lock.js';
import type { DeployRequest } from './deploy-request.js';
import type { Refusal } from './deploy-target.js';

export interface ListedService {
  name: string;
  defaultRef: string;
}

/** What can come of `/deploy list`. */
export type ListServicesOutcome =
  | {
      kind: 'listed';
      services: ListedService[];
      /** The environments this person may deploy to. */
      allowedEnvironments: string[];
      defaultEnvironment: string | undefined;
    }
  /** The user-group look-up did not answer in time: whom to list is not known. */
  | { kind: 'authorisation-unavailable'; environment: string };

/** What can come of asking for a deploy. Only `queued` queued anything. */
export type RequestDeployOutcome =
  | { kind: 'refused'; refusal: Refusal; deployers?: Deployers }
  | { kind: 'authorisation-unavailable'; environment: string }
  | { kind: 'queue-unavailable' }
  /** Someone else locked the service in that environment (`/deploy lock`). */
  | { kind: 'locked'; lock: DeployLock }
  /** The same command again, or the same deploy moments ago: nothing new was queued. */
  | { kind: 'duplicate'; request: DeployRequest; jobId: string }
  /** Queued, and held until announced. */
  | { kind: 'queued'; request: DeployRequest; jobId: string };

/** What can come of anything typed after `/deploy`. */
export type DeployCommandOutcome =
  | { kind: 'help' }
  /** `usage`: the form a brake command takes, when its verb was read but not the rest. */
  | { kind: 'unreadable'; text: string; usage?: string }
  | ListServicesOutcome
  | RequestDeployOutcome
  | BrakeOutcome;

/** What can come of `/status`, before anything is looked up. */
export type StatusQueryCheck<Query> =
  | { kind: 'accepted'; query: Query }
  | { kind: 'unknown-word'; word: string; suggestions: string[] };
