import { RedisReleaseLock } from '../../core/adapters/redis-release-lock.js';
import { createRedisConnection } from '../../core/adapters/redis-connection.js';
import type { Lease, LockHolder } from '../../core/ports/release-lock.js';
import { eventually } from '../support/eventually.js';
import { testEnv, uniqueName } from '../support/test-env.js';

describe('release lock on a real Redis', () => {
  const connection = createRedisConnection(testEnv().redisUrl, { blocking: false });
  const lock = new RedisReleaseLock({ connection, ttlMs: 600 });
  const deploy = { service: 'hello-world', environment: 'staging' };
  const alice: LockHolder = {
    jobId: 'deploy-a',
    deploy: { ...deploy, ref: 'main' },
    requestedBy: 'U1',
  };
  const bob: LockHolder = {
    jobId: 'deploy-b',
    deploy: { ...deploy, ref: 'v2' },
    requestedBy: 'U2',
  };

  afterAll(async () => {
    await connection.quit();
  });

  async function take(key: string, holder: LockHolder): Promise<Lease> {
    const claim = await lock.tryAcquire(key, holder);
    if ('heldBy' in claim) throw new Error(`${key} is held by ${claim.heldBy.jobId}`);
    return claim;
  }

  it('tells a second deploy of the same release who holds it, for as long as it is held', async () => {
    const key = uniqueName('staging/hello-world');
    // Its own lease, long enough that a busy machine's pauses (seen over 600 ms) do not outlast
    // it, so that only a missing renewal can let it lapse.
    const leased = new RedisReleaseLock({ connection, ttlMs: 3000 });
    const first = await leased.tryAcquire(key, alice);
    if (!('release' in first)) throw new Error('the first deploy did not get the lock');
    expect(await leased.tryAcquire(key, bob)).toEqual({ heldBy: alice });
    // Held past two TTLs: renewal keeps it.
    await new Promise((resolve) => setTimeout(resolve, 7000));
    expect(await leased.tryAcquire(key, bob)).toEqual({ heldBy: alice });
    await first.release();
    await (await take(key, bob)).release();
  });

  it('lets different releases go at once', async () => {
    const keys = [uniqueName('staging/hello-world'), uniqueName('staging/hello-api')] as const;
    const claims = await Promise.all([
      lock.tryAcquire(keys[0], alice),
      lock.tryAcquire(keys[1], bob),
    ]);
    expect(claims.map((claim) => 'release' in claim)).toEqual([true, true]);
    const stored = await Promise.all(
      keys.map((key) => connection.get(`harbormaster:release-lock:${key}`)),
    );
    expect(stored.map((value) => JSON.parse(value ?? '{}') as unknown)).toEqual([
      { ...alice, lease: expect.any(String) as string },
      { ...bob, lease: expect.any(String) as string },
    ]);
    for (const claim of claims) if ('release' in claim) await claim.release();
    expect(
      await Promise.all(keys.map((key) => connection.get(`harbormaster:release-lock:${key}`))),
    ).toEqual([null, null]);
  });

  it("keeps a job's later attempt out while its earlier attempt still renews its lease", async () => {
    const key = uniqueName('staging/hello-world');
    const earlier = await take(key, alice);
    // The same job, taken again by another worker after the queue thought the first one gone.
    expect(await lock.tryAcquire(key, alice)).toEqual({ heldBy: alice });
    await earlier.release();
    await (await take(key, alice)).release();
    expect(await connection.get(`harbormaster:release-lock:${key}`)).toBeNull();
  });

  it("lets a job's later attempt take the lease of an attempt whose worker died, once it lapsed", async () => {
    const key = uniqueName('staging/hello-world');
    const lapsing = JSON.stringify({ ...alice, lease: 'dead-worker' });
    await connection.set(`harbormaster:release-lock:${key}`, lapsing, 'PX', 300);
    expect(await lock.tryAcquire(key, alice)).toEqual({ heldBy: alice });
    await eventually(
      'the lease to lapse',
      async () => (await connection.get(`harbormaster:release-lock:${key}`)) === null,
      5000,
    );
    await (await take(key, alice)).release();
  });

  it('still honours a lock an older worker took, which says only its job id', async () => {
    const key = uniqueName('staging/hello-world');
    const older = JSON.stringify({ jobId: 'deploy-old', description: "@carol's hello-world@v1" });
    await connection.set(`harbormaster:release-lock:${key}`, older, 'PX', 60_000);
    expect(await lock.tryAcquire(key, bob)).toEqual({ heldBy: { jobId: 'deploy-old' } });
    await connection.del(`harbormaster:release-lock:${key}`);
  });

  it("lets a dead worker's lock lapse", async () => {
    const key = uniqueName('staging/hello-world');
    await connection.set(`harbormaster:release-lock:${key}`, JSON.stringify(alice), 'PX', 300);
    expect(await lock.tryAcquire(key, bob)).toEqual({ heldBy: alice });
    await new Promise((resolve) => setTimeout(resolve, 400));
    await (await take(key, bob)).release();
  });

  it("never releases another holder's lock", async () => {
    const key = uniqueName('staging/hello-world');
    const lease = await take(key, alice);
    await connection.set(`harbormaster:release-lock:${key}`, JSON.stringify(bob), 'PX', 60_000);
    await lease.release();
    expect(await connection.get(`harbormaster:release-lock:${key}`)).toBe(JSON.stringify(bob));
  });
});
