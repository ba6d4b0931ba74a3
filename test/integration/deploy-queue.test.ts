import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, UnrecoverableError } from 'bullmq';
import { BullmqDeployQueue } from '../../core/adapters/bullmq-deploy-queue.js';
import { createRedisConnection } from '../../core/adapters/redis-connection.js';
import type { DeployRequest } from '../../core/domain/deploy-request.js';
import { createDeployWorker } from '../../worker/deploy-worker.js';
import { testEnv, uniqueName } from '../support/test-env.js';

const request: DeployRequest = {
  id: 'deploy-13345224609.738474920.8ee904c8',
  service: 'hello-world',
  ref: 'main',
  environment: 'staging',
  origin: { channel: 'C024BE91L', user: { id: 'U024BE7LH', name: 'alice' } },
  requestedAt: '2026-11-24T12:00:00.000Z',
};

describe('deploy queue on a real Redis', () => {
  const connections = [
    createRedisConnection(testEnv().redisUrl, { blocking: false }),
    createRedisConnection(testEnv().redisUrl, { blocking: true }),
  ] as const;
  const queueName = uniqueName('test-deploys');
  const queue = new BullmqDeployQueue({ connection: connections[0], queueName, holdMs: 60_000 });
  const inspector = new Queue<DeployRequest>(queueName, { connection: connections[0] });

  afterAll(async () => {
    await queue.close();
    await inspector.obliterate({ force: true });
    await inspector.close();
    await Promise.all(connections.map((connection) => connection.quit()));
  });

  const jobsOf = async (id: string) =>
    (await inspector.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed'])).filter(
      (job) => job.id === id,
    );

  it('carries a deploy request to a worker once announced, with its message', async () => {
    const received: DeployRequest[] = [];
    const worker = createDeployWorker({
      connection: connections[1],
      queueName,
      concurrency: 1,
      handle: (deploy) => {
        received.push(deploy);
        return Promise.resolve();
      },
    });
    const completed = new Promise((resolve) => worker.once('completed', resolve));

    expect(await queue.enqueue(request)).toEqual({ status: 'queued', jobId: request.id });
    expect(await (await inspector.getJob(request.id))?.isDelayed()).toBe(true);
    await queue.announce(request.id, '1732449600.000100');
    await completed;
    await worker.close();

    expect(received).toEqual([
      { ...request, origin: { ...request.origin, message: '1732449600.000100' } },
    ]);
  });

  it('queues one job however often the same request id arrives', async () => {
    const again = { ...request, id: `${request.id}-again`, ref: 'v2' };
    const results = await Promise.all([
      queue.enqueue(again),
      queue.enqueue(again),
      queue.enqueue(again),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual([
      'duplicate',
      'duplicate',
      'queued',
    ]);
    expect(results.every((result) => result.jobId === again.id)).toBe(true);
    expect(await jobsOf(again.id)).toHaveLength(1);
  });

  it('treats the same deploy by the same person in the same channel as a double submit', async () => {
    const first = { ...request, id: 'deploy-first', ref: 'v3' };
    const second = { ...first, id: 'deploy-second' };
    const other = {
      ...first,
      id: 'deploy-other-person',
      origin: { ...request.origin, user: { id: 'U0BOB', name: 'bob' } },
    };
    expect(await queue.enqueue(first)).toEqual({ status: 'queued', jobId: 'deploy-first' });
    expect(await queue.enqueue(second)).toEqual({ status: 'duplicate', jobId: 'deploy-first' });
    expect(await queue.enqueue(other)).toEqual({ status: 'queued', jobId: 'deploy-other-person' });
    expect(await jobsOf('deploy-second')).toHaveLength(0);
  });

  it('takes the same deploy again, by the same person, as a new one once the first has ended', async () => {
    const first = { ...request, id: 'deploy-redo-1', ref: 'v5' };
    const worker = createDeployWorker({
      connection: connections[1],
      queueName,
      concurrency: 1,
      handle: () => Promise.resolve(),
    });
    const completed = new Promise<void>((resolve) =>
      worker.on('completed', (job) => {
        if (job.id === first.id) resolve();
      }),
    );
    expect(await queue.enqueue(first)).toEqual({ status: 'queued', jobId: first.id });
    // Still queued: the same command again is a double submit.
    expect(await queue.enqueue({ ...first, id: 'deploy-redo-early' })).toEqual({
      status: 'duplicate',
      jobId: first.id,
    });
    await queue.announce(first.id, undefined);
    await completed;
    await worker.close();
    // Ended, within the double-submit window: two more at once are one new deploy and its double.
    const again = await Promise.all([
      queue.enqueue({ ...first, id: 'deploy-redo-2' }),
      queue.enqueue({ ...first, id: 'deploy-redo-3' }),
    ]);
    const queued = again.filter((result) => result.status === 'queued');
    expect(queued).toHaveLength(1);
    expect(again.find((result) => result.status === 'duplicate')?.jobId).toBe(queued[0]?.jobId);
    expect(await jobsOf('deploy-redo-early')).toHaveLength(0);
    expect((await jobsOf('deploy-redo-2')).length + (await jobsOf('deploy-redo-3')).length).toBe(1);
  });

  it('lets a held job run after its hold even if never announced', async () => {
    const shortHold = new BullmqDeployQueue({ connection: connections[0], queueName, holdMs: 200 });
    const held = { ...request, id: 'deploy-held', ref: 'v4' };
    const worker = createDeployWorker({
      connection: connections[1],
      queueName,
      concurrency: 1,
      handle: () => Promise.resolve(),
    });
    const completed = new Promise<string | undefined>((resolve) =>
      worker.on('completed', (job) => {
        if (job.id === held.id) resolve(job.id);
      }),
    );
    await shortHold.enqueue(held);
    expect(await completed).toBe('deploy-held');
    await worker.close();
    await shortHold.close();
  });

  it('keeps a job held while its message is still being posted, past its hold, and runs it once announced', async () => {
    const holdMs = 2000;
    const slowPost = new BullmqDeployQueue({ connection: connections[0], queueName, holdMs });
    const held = { ...request, id: 'deploy-slow-post', ref: 'v6' };
    const received: DeployRequest[] = [];
    const worker = createDeployWorker({
      connection: connections[1],
      queueName,
      concurrency: 1,
      handle: (taken) => {
        received.push(taken);
        return Promise.resolve();
      },
    });
    const completed = new Promise<void>((resolve) =>
      worker.on('completed', (job) => {
        if (job.id === held.id) resolve();
      }),
    );
    try {
      await slowPost.enqueue(held);
      // A post that waits out rate limits for longer than the hold: the hold itself is the subject.
      const messageId = await slowPost.holdWhile(held.id, () =>
        sleep(2.5 * holdMs).then(() => '1700000000.000200'),
      );
      expect(await inspector.getJobState(held.id)).toBe('delayed');
      expect(received).toEqual([]);
      await slowPost.announce(held.id, messageId);
      await completed;
      expect(received.map((taken) => taken.origin.message)).toEqual([messageId]);
    } finally {
      await worker.close();
      await slowPost.close();
    }
  });

  it('refuses a request that breaks the shared schema before it reaches Redis', async () => {
    await expect(
      queue.enqueue({ ...request, id: 'x-1', ref: '--upload-pack=touch /tmp/pwned' }),
    ).rejects.toThrow(/ref/);
    expect(await jobsOf('x-1')).toHaveLength(0);
  });

  it('fails a malformed job without retrying it', async () => {
    const malformedQueue = uniqueName('test-malformed');
    const raw = new Queue(malformedQueue, { connection: connections[0] });
    await raw.add('deploy', { service: 'hello-world' }, { jobId: 'malformed-1', attempts: 3 });
    const worker = createDeployWorker({
      connection: connections[1],
      queueName: malformedQueue,
      concurrency: 1,
      handle: () => Promise.reject(new Error('handle must not run for a malformed job')),
    });
    const failed = await new Promise<Error>((resolve) =>
      worker.once('failed', (_job, error) => {
        resolve(error);
      }),
    );
    await worker.close();
    const job = await raw.getJob('malformed-1');
    await raw.obliterate({ force: true });
    await raw.close();
    expect(failed).toBeInstanceOf(UnrecoverableError);
    expect(failed.message).toMatch(/^job malformed-1 is not a deploy request/);
    expect(job?.attemptsMade).toBe(1);
  });
});
