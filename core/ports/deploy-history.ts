import type { DeployRecord, DeployRecordUpdate } from '../domain/deploy-record.js';
import type { ServiceTarget } from '../domain/deploy-lock.js';

export type { DeployRecord, DeployRecordUpdate } from '../domain/deploy-record.js';

/** Every deploy and rollback of a service to an environment, kept longer than helm keeps revisions. */
export interface DeployHistory {
  /** Writes what is known of a deploy; fields already written and not given stay. */
  record(update: DeployRecordUpdate): Promise<void>;
  /** The newest deploys of a service to an environment, newest first. */
  list(target: ServiceTarget, limit: number): Promise<DeployRecord[]>;
}
