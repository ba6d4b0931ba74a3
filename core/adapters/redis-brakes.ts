import { BullmqDeployJobs } from './bullmq-deploy-jobs.js';
import { RedisActionClaims } from './redis-action-claims.js';
import { RedisAuditLog } from './redis-audit-log.js';
import type { RedisClient } from './redis-connection.js';
import { RedisCancelRequests } from './redis-cancel-requests.js';
import { RedisDeployHistory } from './redis-deploy-history.js';
import { RedisDeployLocks } from './redis-deploy-locks.js';
import { RedisReleaseOperations } from './redis-release-operations.js';

export interface BrakeAdapterOptions {
  connection: RedisClient;
  /** The installation's queue: its jobs, and the namespace of every key below. */
  queueName: string;
  /** BullMQ's key prefix, as the queue has it. */
  prefix?: string;
  /** The key deploy jobs are signed with (HARBORMASTER_JOB_KEY). */
  jobKey: string;
  /** How long the audit log keeps entries. */
  auditRetentionMs: number;
  /** How many deploys the history keeps per service and environment. */
  historyKeep: number;
}

/** The brakes and the rear-view mirror on one Redis: what both the bot and the worker use. */
export function createBrakeAdapters(options: BrakeAdapterOptions) {
  const { connection, queueName: namespace } = options;
  const jobs = new BullmqDeployJobs({
    connection,
    queueName: namespace,
    jobKey: options.jobKey,
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
  });
  return {
    locks: new RedisDeployLocks({ connection, namespace }),
    jobs,
    cancels: new RedisCancelRequests({ connection, namespace }),
    claims: new RedisActionClaims({ connection, namespace }),
    history: new RedisDeployHistory({ connection, namespace, keep: options.historyKeep }),
    audit: new RedisAuditLog({ connection, namespace, retentionMs: options.auditRetentionMs }),
    operations: new RedisReleaseOperations({ connection, namespace }),
    close: () => jobs.close(),
  };
}
