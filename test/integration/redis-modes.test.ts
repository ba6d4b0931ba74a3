import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BullmqDeployQueue } from '../../core/adapters/bullmq-deploy-queue.js';
import { createRedisConnection, type RedisClient } from '../../core/adapters/redis-connection.js';
import { RedisReleaseLock } from '../../core/adapters/redis-release-lock.js';
import type { DeployRequest } from '../../core/domain/deploy-request.js';
import { createDeployWorker } from '../../worker/deploy-worker.js';
import { deployRequest } from '../support/deploy-fixtures.js';
import {
  startRedisCluster,
  startRedisSentinel,
  type RedisTopology,
} from '../support/redis-topologies.js';
import { eventually } from '../support/eventually.js';
import { uniqueName } from '../support/test-env.js';

/**
 * The queue, its exactly-once claims and the release lock on a real Redis Cluster (three masters)
 * and through a real Sentinel, connected from REDIS_URL as the processes do.
 */

const workDir = mkdtempSync(join(tmpdir(), 'hm-redis-modes-'));
afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

/** Queues a deploy, announces it, and answers what a worker on `prefix` received. */
async function throughTheQueue(url: string, prefix: string): Promise<DeployRequest[]> {
  const connections: RedisClient[] = [
    createRedisConnection(url, { blocking: false }),
    createRedisConnection(url, { blocking: true }),
  ];
  const queueName = uniqueName('modes');
  const queue = new BullmqDeployQueue({
    connection: connections[0] as RedisClient,
    queueName,
    prefix,
  });
  const received: DeployRequest[] = [];
  const worker = createDeployWorker({
    connection: connections[1] as RedisClient,
    queueName,
    prefix,
    concurrency: 1,
    handle: (deploy) => {
      received.push(deploy);
      return Promise.resolve();
    },
  });
  try {
    const request = deployRequest({ id: uniqueName('deploy') });
    const completed = new Promise((resolve) => worker.once('completed', resolve));
    expect(await queue.enqueue(request)).toEqual({ status: 'queued', jobId: request.id });
    // Slack's retry of the same command: absorbed by the claim, whichever node holds it.
    expect(await queue.enqueue(request)).toEqual({ status: 'duplicate', jobId: request.id });
    await queue.announce(request.id, '1732449600.000100');
    await completed;
    expect(await queue.depth()).toEqual({ waiting: 0, delayed: 0, active: 0 });
    return received;
  } finally {
    await worker.close();
    await queue.close();
    for (const connection of connections) connection.disconnect();
  }
}

async function lockTwice(url: string): Promise<void> {
  const connection = createRedisConnection(url, { blocking: false });
  try {
    const lock = new RedisReleaseLock({ connection });
    const key = uniqueName('staging/hello-world');
    const first = await lock.tryAcquire(key, { jobId: 'one' });
    expect('release' in first).toBe(true);
    expect(await lock.tryAcquire(key, { jobId: 'two' })).toEqual({ heldBy: { jobId: 'one' } });
    if ('release' in first) await first.release();
    const third = await lock.tryAcquire(key, { jobId: 'three' });
    expect('release' in third).toBe(true);
    if ('release' in third) await third.release();
  } finally {
    connection.disconnect();
  }
}

describe('Redis Cluster (redis+cluster://)', () => {
  let cluster: RedisTopology;
  beforeAll(async () => {
    cluster = await startRedisCluster(workDir);
  }, 60_000);
  afterAll(async () => {
    await cluster.stop();
  });

  it('carries a deploy from the bot to a worker with a hash-tagged prefix, exactly once', async () => {
    const received = await throughTheQueue(cluster.url, '{hm-test}');
    expect(received).toHaveLength(1);
    expect(received[0]?.origin.message).toBe('1732449600.000100');
  });

  it('keeps the release lock on whichever node owns its key', async () => {
    await lockTwice(cluster.url);
  });

  it("spreads keys over the nodes: BullMQ's keys without a hash tag would cross slots", async () => {
    const connection = createRedisConnection(cluster.url, { blocking: false });
    try {
      // Two of a queue's keys without a hash tag are (here) on different slots: a script that
      // touches both is refused, which is why the prefix must carry one.
      await expect(
        connection.eval(
          "return redis.call('exists', KEYS[1], KEYS[2])",
          2,
          'bull:q:wait',
          'bull:q:active',
        ),
      ).rejects.toThrow(/CROSSSLOT/);
      await expect(
        connection.eval(
          "return redis.call('exists', KEYS[1], KEYS[2])",
          2,
          '{hm}:q:wait',
          '{hm}:q:active',
        ),
      ).resolves.toBe(0);
    } finally {
      connection.disconnect();
    }
  });
});

describe('Redis Sentinel (redis+sentinel://)', () => {
  let sentinel: RedisTopology;
  beforeAll(async () => {
    sentinel = await startRedisSentinel(workDir, 'sentinel-Pa55');
  }, 60_000);
  afterAll(async () => {
    await sentinel.stop();
  });

  it('finds the master through the sentinel and carries a deploy to a worker', async () => {
    const received = await throughTheQueue(sentinel.url, 'bull');
    expect(received).toHaveLength(1);
  });

  it('keeps the release lock on the master it was told of', async () => {
    await lockTwice(sentinel.url);
  });

  it('refuses a wrong password, and says so in the error it reports', async () => {
    const wrong = sentinel.url.replace('sentinel-Pa55', 'Wr0ng-Secret');
    const connection = createRedisConnection(wrong, { blocking: false });
    const errors: string[] = [];
    connection.on('error', (error: Error) => errors.push(error.message));
    try {
      // ioredis keeps retrying the sentinels (the bot bounds each command with its own
      // deadline); what a person reads in the log is why.
      await eventually('the sentinel refuses the password', () =>
        Promise.resolve(
          errors.some((message) => /WRONGPASS|invalid username-password/.test(message)),
        ),
      );
      expect(connection.status).not.toBe('ready');
      expect(errors.join('\n')).not.toContain('Wr0ng-Secret');
    } finally {
      connection.disconnect();
    }
  });
});
