import type { Catalog, RegistryConfig } from '../domain/catalog.js';
import type { GitCredentials } from '../domain/git-access.js';
import type { StageName } from '../domain/stages.js';
import type { Logger } from '../logger.js';
import type { StagePorts } from '../pipeline/stage-registry.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { CancelRequests } from '../ports/cancel-requests.js';
import type { Chat } from '../ports/chat.js';
import type { Clock } from '../ports/clock.js';
import type { InfrastructureDetails } from '../domain/infrastructure-redaction.js';
import type { Directory } from '../ports/directory.js';
import type { DeployHistory } from '../ports/deploy-history.js';
import type { DeployJobs } from '../ports/deploy-jobs.js';
import type { DeployMetrics } from '../ports/metrics.js';
import type { ReleaseLock } from '../ports/release-lock.js';
import type { ReleaseOperations } from '../ports/release-operations.js';

/** What running a deploy works with: the catalog, the stages' ports, the chat and the lock. */
export interface DeployDependencies extends StagePorts {
  catalog: Catalog;
  registry: RegistryConfig;
  /** The only environment the programs a deploy runs get (PATH, HOME, CI): no secrets. */
  programEnv: Record<string, string>;
  /** Values never shown: scrubbed, in every form, from whatever a stage prints or says. */
  secrets: readonly (string | undefined)[];
  /** Cluster details (API servers, kubeconfig paths) kept out of chat; the log has them. */
  infrastructure?: InfrastructureDetails;
  chat: Chat;
  /** Who is in which user group: the requester's right to deploy is checked again before a run. */
  directory: Directory;
  lock: ReleaseLock;
  /** The brakes: cancels asked for, the history and audit log, and helm commands under way. */
  cancels: CancelRequests;
  history: DeployHistory;
  audit: AuditLog;
  operations: ReleaseOperations;
  jobs: DeployJobs;
  logger: Logger;
  /** Told of each deploy's start and end, each stage's duration and the locks held; none when absent. */
  metrics?: DeployMetrics;
  clock?: Clock;
  /** Docker's build network mode; `host` where the engine has no bridge network. */
  buildNetworkMode?: string;
  /** The token for private git repositories over https. */
  gitCredentials?: GitCredentials;
  /** Stage time limits instead of the defaults (the test gate's is the catalog's). */
  timeouts?: Partial<Record<Exclude<StageName, 'test'>, number>>;
  /** How often the channel message may be updated. */
  progressIntervalMs?: number;
  /** Push retries' first back-off. */
  pushBackoffMs?: number;
}
