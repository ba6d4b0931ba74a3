import { Queue } from 'bullmq';
import { BullmqDeployQueue } from '../../core/adapters/bullmq-deploy-queue.js';
import { createRedisConnection, type RedisClient } from '../../core/adapters/redis-connection.js';
import type { DeployRequest } from '../../core/domain/deploy-request.js';
import type { EnqueueLimits, EnqueueResult } from '../../core/ports/deploy-queue.js';
import { TEST_JOB_KEY } from '../support/job-key.js';
import { testEnv, uniqueName } from '../support/test-env.js';

/**
 * Many enqueues of one release, by one person, or of one request id, at the same moment from
 * three bot connections (as three bot replicas would send them) to a real Redis and BullMQ: the
 * claims and limits are taken in one script, with no lock around them, so these show that it is
 * atomic and that a refusal takes nothing.
 */

const CONNECTIONS = 3;
const AT_ONCE = 30;

const base: DeployRequest = {
  id: 'deploy-atomic',
  service: 'hello-world',
  ref: 'main',
  environment: 'staging',
  origin: { channel: 'C0ATOMIC', user: { id: 'U0ATOMIC', name: 'alice' } },
  requestedAt: new Date().toISOString(),
};

const roomy: EnqueueLimits = {
  release: 'staging/hello-world',
  maxQueuedPerRelease: 1000,
  maxPerPersonPerMinute: 1000,
};

describe('concurrent enqueues on a real Redis', () => {
  const connections: RedisClient[] = Array.from({ length: CONNECTIONS }, () =>
    createRedisConnection(testEnv().redisUrl, { blocking: false }),
  );
  const queueName = uniqueName('test-atomic');
  const queues = connections.map(
    (connection) =>
      new BullmqDeployQueue({ connection, queueName, holdMs: 60_000, jobKey: TEST_JOB_KEY }),
  );
  const inspector = new Queue(queueName, { connection: connections[0] as RedisClient });

  afterAll(async () => {
    await Promise.all(queues.map((queue) => queue.close()));
    await inspector.obliterate({ force: true });
    await inspector.close();
    await Promise.all(connections.map((connection) => connection.quit()));
  });

  /** Every request at once, spread over the connections. */
  const all = (asks: DeployRequest[], limits: Partial<EnqueueLimits>) =>
    Promise.all(
      asks.map((ask, at) =>
        (queues[at % CONNECTIONS] as BullmqDeployQueue).enqueue(ask, {
          limits: { ...roomy, ...limits },
          deadlineMs: 10_000,
        }),
      ),
    );
  const ofStatus = (results: EnqueueResult[], status: EnqueueResult['status']) =>
    results.filter((result) => result.status === status);
  const jobIds = async () =>
    (await inspector.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']))
      .map((job) => job.id ?? '')
      .sort();
  const inQueue = async (prefix: string) => (await jobIds()).filter((id) => id.startsWith(prefix));

  it('queues one job for one request id sent many times at once', async () => {
    const ask = { ...base, id: 'deploy-same-id', ref: 'same-id' };
    const results = await all(
      Array.from({ length: AT_ONCE }, () => ask),
      {},
    );
    expect(ofStatus(results, 'queued')).toHaveLength(1);
    expect(ofStatus(results, 'duplicate')).toEqual(
      Array.from({ length: AT_ONCE - 1 }, () => ({ status: 'duplicate', jobId: ask.id })),
    );
    expect(await inQueue('deploy-same-id')).toEqual([ask.id]);
  });

  it('queues one of many submissions of the same deploy at once, the others naming it', async () => {
    const asks = Array.from({ length: AT_ONCE }, (_, n) => ({
      ...base,
      id: `deploy-double-${String(n)}`,
      ref: 'double',
    }));
    const results = await all(asks, {});
    const queued = ofStatus(results, 'queued');
    expect(queued).toHaveLength(1);
    const winner = queued[0]?.status === 'queued' ? queued[0].jobId : '';
    expect(ofStatus(results, 'duplicate')).toEqual(
      Array.from({ length: AT_ONCE - 1 }, () => ({ status: 'duplicate', jobId: winner })),
    );
    expect(await inQueue('deploy-double-')).toEqual([winner]);
  });

  it("holds a release's queue to its limit under many deploys at once, a refusal taking nothing", async () => {
    const limits = { release: 'staging/atomic-full', maxQueuedPerRelease: 4 };
    const asks = Array.from({ length: AT_ONCE }, (_, n) => ({
      ...base,
      id: `deploy-full-${String(n)}`,
      ref: `full-${String(n)}`,
      origin: { ...base.origin, user: { id: `U0FULL${String(n)}`, name: `p${String(n)}` } },
    }));
    const results = await all(asks, limits);
    const queuedIds = ofStatus(results, 'queued').map((result) =>
      result.status === 'queued' ? result.jobId : '',
    );
    expect(queuedIds).toHaveLength(4);
    const refused = ofStatus(results, 'release-full');
    expect(refused).toHaveLength(AT_ONCE - 4);
    for (const refusal of refused) {
      // Those that had landed by then (a place held for an add on its way has no job to read).
      const named = refusal.status === 'release-full' ? refusal.queued.map((job) => job.id) : [];
      expect(queuedIds).toEqual(expect.arrayContaining(named));
    }
    expect(await inQueue('deploy-full-')).toEqual([...queuedIds].sort());
    // A refused request left no claim behind: once there is room, the same request is queued.
    await inspector.remove(queuedIds[0] ?? '');
    const again = asks.find((ask) => !queuedIds.includes(ask.id)) as DeployRequest;
    expect(await all([again], limits)).toEqual([{ status: 'queued', jobId: again.id }]);
  });

  it('holds a person to their deploys per minute under many at once, a refusal taking nothing', async () => {
    const limits = { release: 'staging/atomic-rate', maxPerPersonPerMinute: 5 };
    const person = { id: 'U0RATE', name: 'rate' };
    const asks = Array.from({ length: AT_ONCE }, (_, n) => ({
      ...base,
      id: `deploy-rate-${String(n)}`,
      ref: `rate-${String(n)}`,
      origin: { ...base.origin, user: person },
    }));
    const results = await all(asks, limits);
    expect(ofStatus(results, 'queued')).toHaveLength(5);
    const refused = ofStatus(results, 'rate-limited');
    expect(refused).toHaveLength(AT_ONCE - 5);
    for (const refusal of refused) {
      expect(refusal).toEqual({
        status: 'rate-limited',
        limit: 5,
        retryAfterMs: expect.any(Number) as unknown,
      });
      const retry = refusal.status === 'rate-limited' ? refusal.retryAfterMs : -1;
      expect(retry).toBeGreaterThan(0);
      expect(retry).toBeLessThanOrEqual(60_000);
    }
    expect(await inQueue('deploy-rate-')).toHaveLength(5);
    // The refusals were not counted against the person: one more allowed is exactly one more.
    const more = asks.filter((_, at) => results[at]?.status !== 'queued');
    const retried = await all(more, { ...limits, maxPerPersonPerMinute: 6 });
    expect(ofStatus(retried, 'queued')).toHaveLength(1);
    expect(ofStatus(retried, 'rate-limited')).toHaveLength(more.length - 1);
    expect(await inQueue('deploy-rate-')).toHaveLength(6);
  });

  it('keeps every limit at once: one request id, one deploy, one person and one release', async () => {
    const limits = {
      release: 'staging/atomic-mixed',
      maxQueuedPerRelease: 3,
      maxPerPersonPerMinute: 4,
    };
    const person = (n: number) => ({ id: `U0MIX${String(n % 6)}`, name: `m${String(n % 6)}` });
    // Six people, each sending the same request id twice and the same deploy twice more.
    const asks = Array.from({ length: AT_ONCE }, (_, n) => ({
      ...base,
      id: `deploy-mixed-${String(n % 15)}`,
      ref: `mixed-${String(n % 12)}`,
      origin: { ...base.origin, user: person(n) },
    }));
    const results = await all(asks, limits);
    const queued = ofStatus(results, 'queued').map((result) =>
      result.status === 'queued' ? result.jobId : '',
    );
    // The release's limit bites first: every person is within theirs.
    expect(new Set(queued).size).toBe(3);
    expect(ofStatus(results, 'release-full').length).toBeGreaterThan(0);
    expect(await inQueue('deploy-mixed-')).toEqual([...queued].sort());
    expect(results.every((result) => result.status !== 'unconfirmed')).toBe(true);
  });
});

describe('an add that fails on a real Redis', () => {
  it('gives back exactly what the admission took: claims, count and place', async () => {
    const admin = createRedisConnection(testEnv().redisUrl, { blocking: false });
    const queueName = uniqueName('test-undo');
    const user = uniqueName('hm-undo');
    // A user who may touch Harbormaster's keys and read the queue's states, but not BullMQ's other
    // keys: the admission succeeds, BullMQ's add script is refused (NOPERM), and the undo runs.
    const states = ['completed', 'failed', 'delayed', 'prioritized', 'wait', 'paused'];
    const readable = [...states, 'waiting-children'].map((state) => `~bull:${queueName}:${state}`);
    await admin.call(
      'ACL',
      'SETUSER',
      user,
      'on',
      '>undo-Pa55',
      '+@all',
      '~harbormaster:*',
      ...readable,
    );
    const url = new URL(testEnv().redisUrl);
    url.username = user;
    url.password = 'undo-Pa55';
    const limited = createRedisConnection(url.href, { blocking: false });
    const queue = new BullmqDeployQueue({
      connection: limited,
      queueName,
      holdMs: 60_000,
      jobKey: TEST_JOB_KEY,
    });
    const whole = new BullmqDeployQueue({
      connection: admin,
      queueName,
      holdMs: 60_000,
      jobKey: TEST_JOB_KEY,
    });
    const ask = { ...base, id: 'deploy-undone', ref: 'undone' };
    const limits = { ...roomy, release: 'staging/undo', maxPerPersonPerMinute: 1 };
    const options = { limits, deadlineMs: 10_000 };
    try {
      await expect(queue.enqueue(ask, options)).rejects.toThrow(/NOPERM|permission/i);
      expect(await admin.keys(`harbormaster:${queueName}:*`)).toEqual([]);
      // So the same request, sent again where the add works, is queued: within the person's
      // one deploy a minute, the release's queue, and with its claims free.
      expect(await whole.enqueue(ask, options)).toEqual({ status: 'queued', jobId: ask.id });
    } finally {
      await queue.close();
      await whole.close();
      await new Queue(queueName, { connection: admin }).obliterate({ force: true });
      limited.disconnect();
      await admin.call('ACL', 'DELUSER', user);
      await admin.quit();
    }
  });
});
