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

/** A request whose fields (who, where) are not what the contract allows: named, never queued. */
export interface MalformedOutcome {
  kind: 'malformed';
  /** The field as the surface named it, e.g. `user_id`. */
  field: string;
  /** What it should be, e.g. "a Slack user ID such as U024BE7LH". */
  expected: string;
}

/** What can come of asking for a deploy. Only `queued` queued anything. */
export type RequestDeployOutcome =
  | { kind: 'refused'; refusal: Refusal; deployers?: Deployers }
  | { kind: 'authorisation-unavailable'; environment: string }
  | MalformedOutcome
  /** The store could not be reached, or did not answer before the job was sent: nothing queued. */
  | { kind: 'queue-unavailable' }
  /** The job was sent but not confirmed in time: it may land, and is withdrawn when it does. */
  | { kind: 'maybe-queued'; request: DeployRequest; jobId: string }
  /** This person asked for `limit` deploys in the last minute already. */
  | { kind: 'rate-limited'; limit: number; retryAfterSeconds: number }
  /** The release has `limit` deploys queued already (these, oldest first). */
  | { kind: 'release-full'; request: DeployRequest; limit: number; queued: DeployRequest[] }
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
  | { kind: 'unknown-word'; word: string; suggestions: string[] }
  /** Named environments (or, with none named, all of them) this person may not view. */
  | { kind: 'not-a-viewer'; environments: string[] }
  /** Who may view what could not be looked up in time. */
  | { kind: 'authorisation-unavailable' };
