import type { Lease, LockHolder, ReleaseLock } from '../../../core/ports/release-lock.js';

/** The release lock in memory, with Redis's semantics: free, or held by one lease (even of the same job). */
export class FakeReleaseLock implements ReleaseLock {
  readonly held = new Map<string, LockHolder>();

  tryAcquire(key: string, holder: LockHolder): Promise<Lease | { heldBy: LockHolder }> {
    const current = this.held.get(key);
    if (current !== undefined) return Promise.resolve({ heldBy: current });
    this.held.set(key, holder);
    return Promise.resolve({
      release: () => {
        if (this.held.get(key) === holder) this.held.delete(key);
        return Promise.resolve();
      },
    });
  }
}
