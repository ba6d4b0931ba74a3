import type { AuditEntry, AuditLog, AuditSubject } from '../../../core/ports/audit-log.js';
import type { ActionClaims, ClaimResult } from '../../../core/ports/action-claims.js';
import type { CancelRequests } from '../../../core/ports/cancel-requests.js';
import type { ChatUser } from '../../../core/domain/chat-address.js';
import { targetKey } from '../../../core/domain/deploy-lock.js';
import type {
  DeployHistory,
  DeployRecord,
  DeployRecordUpdate,
} from '../../../core/ports/deploy-history.js';
import type { DeployJob, DeployJobs } from '../../../core/ports/deploy-jobs.js';
import type { ReleaseRef } from '../../../core/ports/helm.js';
import type {
  ReleaseOperation,
  ReleaseOperations,
} from '../../../core/ports/release-operations.js';
import type { DeployLock, DeployLocks, ServiceTarget } from '../../../core/ports/deploy-locks.js';

/** `/deploy lock` in memory. */
export class FakeDeployLocks implements DeployLocks {
  readonly locks = new Map<string, DeployLock>();
  private readonly reminded = new Set<string>();

  get(target: ServiceTarget): Promise<DeployLock | undefined> {
    return Promise.resolve(this.locks.get(targetKey(target)));
  }

  take(lock: DeployLock): Promise<{ taken: true; replaced: boolean } | { heldBy: DeployLock }> {
    const held = this.locks.get(targetKey(lock));
    if (held !== undefined && held.by.id !== lock.by.id) return Promise.resolve({ heldBy: held });
    this.locks.set(targetKey(lock), lock);
    return Promise.resolve({ taken: true, replaced: held !== undefined });
  }

  remove(target: ServiceTarget, holder: string | undefined): Promise<DeployLock | undefined> {
    const held = this.locks.get(targetKey(target));
    if (held === undefined || (holder !== undefined && held.by.id !== holder)) {
      return Promise.resolve(undefined);
    }
    this.locks.delete(targetKey(target));
    return Promise.resolve(held);
  }

  list(): Promise<DeployLock[]> {
    return Promise.resolve([...this.locks.values()]);
  }

  claimReminder(lock: DeployLock): Promise<boolean> {
    const key = `${targetKey(lock)}:${lock.lockedAt}`;
    const won = !this.reminded.has(key);
    this.reminded.add(key);
    return Promise.resolve(won);
  }
}

/** The queue's jobs as cancel sees them, in memory. */
export class FakeDeployJobs implements DeployJobs {
  readonly jobs = new Map<string, DeployJob>();

  find(jobId: string): Promise<DeployJob | undefined> {
    return Promise.resolve(this.jobs.get(jobId));
  }

  readonly forgotten: string[] = [];

  forgetSubmission(jobId: string): Promise<void> {
    this.forgotten.push(jobId);
    return Promise.resolve();
  }

  removeQueued(jobId: string): Promise<boolean> {
    if (this.jobs.get(jobId)?.state !== 'queued') return Promise.resolve(false);
    this.jobs.delete(jobId);
    return Promise.resolve(true);
  }
}

export class FakeCancelRequests implements CancelRequests {
  readonly requests = new Map<string, ChatUser>();

  request(jobId: string, by: ChatUser): Promise<void> {
    if (!this.requests.has(jobId)) this.requests.set(jobId, by);
    return Promise.resolve();
  }

  requestedBy(jobId: string): Promise<ChatUser | undefined> {
    return Promise.resolve(this.requests.get(jobId));
  }
}

export class FakeActionClaims implements ActionClaims {
  private readonly claims = new Map<string, { by: ChatUser; at: Date }>();

  claim(key: string, by: ChatUser): Promise<ClaimResult> {
    const held = this.claims.get(key);
    if (held !== undefined) return Promise.resolve({ won: false, ...held });
    this.claims.set(key, { by, at: new Date() });
    return Promise.resolve({ won: true });
  }

  release(key: string): Promise<void> {
    this.claims.delete(key);
    return Promise.resolve();
  }
}

export class FakeDeployHistory implements DeployHistory {
  readonly records = new Map<string, DeployRecordUpdate>();

  record(update: DeployRecordUpdate): Promise<void> {
    this.records.set(update.jobId, { ...this.records.get(update.jobId), ...update });
    return Promise.resolve();
  }

  list(target: ServiceTarget, limit: number): Promise<DeployRecord[]> {
    const same = [...this.records.values()].filter(
      (record) => targetKey(record) === targetKey(target),
    );
    return Promise.resolve((same as DeployRecord[]).reverse().slice(0, limit));
  }
}

export class FakeAuditLog implements AuditLog {
  readonly entries: AuditEntry[] = [];

  append(entry: AuditEntry): Promise<void> {
    this.entries.push(entry);
    return Promise.resolve();
  }

  query(subject: AuditSubject, limit: number): Promise<AuditEntry[]> {
    const matches = this.entries.filter((entry) =>
      'service' in subject ? entry.service === subject.service : entry.actor.id === subject.person,
    );
    return Promise.resolve(matches.reverse().slice(0, limit));
  }
}

export class FakeReleaseOperations implements ReleaseOperations {
  readonly operations = new Map<string, ReleaseOperation>();

  begin(release: ReleaseRef, operation: ReleaseOperation): Promise<void> {
    this.operations.set(release.release, operation);
    return Promise.resolve();
  }

  end(release: ReleaseRef, operation: ReleaseOperation): Promise<void> {
    if (this.operations.get(release.release) === operation) this.operations.delete(release.release);
    return Promise.resolve();
  }

  current(release: ReleaseRef): Promise<ReleaseOperation | undefined> {
    return Promise.resolve(this.operations.get(release.release));
  }
}

/** Every brake port in memory, as CommandDependencies and DeployDependencies take them. */
export function fakeBrakes() {
  return {
    locks: new FakeDeployLocks(),
    jobs: new FakeDeployJobs(),
    cancels: new FakeCancelRequests(),
    claims: new FakeActionClaims(),
    history: new FakeDeployHistory(),
    audit: new FakeAuditLog(),
    operations: new FakeReleaseOperations(),
  };
}
