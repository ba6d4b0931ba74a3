import { RedisReleaseLock } from '../../core/adapters/redis-release-lock.js';
import { createRedisConnection } from '../../core/adapters/redis-connection.js';
import type { LockHolder } from '../../core/ports/release-lock.js';
import { testEnv, uniqueName } from '../support/test-env.js';

describe('release lock on a real Redis', () => {
  const connection = createRedisConnection(testEnv().redisUrl, { blocking: false });
  const lock = new RedisReleaseLock({ connection, ttlMs: 600, pollMs: 20 });
  const alice: LockHolder = { jobId: 'deploy-a', description: "@alice's hello-world@main" };
  const bob: LockHolder = { jobId: 'deploy-b', description: "@bob's hello-world@v2" };
  const signal = new AbortController().signal;

  afterAll(async () => {
    await connection.quit();
  });

  it('makes a second deploy of the same release wait, telling it who is ahead', async () => {
    const key = uniqueName('staging/hello-world');
    const order: string[] = [];
    const first = await lock.acquire(key, alice, { signal });
    const waitedBehind: LockHolder[] = [];
    const second = lock
      .acquire(key, bob, { signal, onWaiting: (holder) => waitedBehind.push(holder) })
      .then((lease) => {
        order.push('bob acquired');
        return lease;
      });
    // Held past several TTLs: renewal keeps it.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    order.push('alice released');
    await first.release();
    await (await second).release();
    expect(order).toEqual(['alice released', 'bob acquired']);
    expect(waitedBehind).toEqual([alice]);
  });

  it('lets different releases go at once', async () => {
    const leases = await Promise.all([
      lock.acquire(uniqueName('staging/hello-world'), alice, { signal }),
      lock.acquire(uniqueName('staging/hello-api'), bob, { signal }),
    ]);
    await Promise.all(leases.map((lease) => lease.release()));
  });

  it('lets the same job take its lock back after a restart', async () => {
    const key = uniqueName('staging/hello-world');
    await lock.acquire(key, alice, { signal }); // never released: the worker "died"
    const again = await lock.acquire(key, alice, { signal });
    await again.release();
  });

  it("lets a dead worker's lock lapse", async () => {
    const key = uniqueName('staging/hello-world');
    await connection.set(`harbormaster:release-lock:${key}`, JSON.stringify(alice), 'PX', 300);
    const lease = await lock.acquire(key, bob, { signal });
    await lease.release();
  });

  it('stops waiting when the deploy is cancelled', async () => {
    const key = uniqueName('staging/hello-world');
    const held = await lock.acquire(key, alice, { signal });
    const controller = new AbortController();
    const waiting = lock.acquire(key, bob, {
      signal: controller.signal,
      onWaiting: () => {
        controller.abort();
      },
    });
    await expect(waiting).rejects.toMatchObject({ code: 'CANCELLED' });
    await held.release();
  });
});
