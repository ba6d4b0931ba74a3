import { Queue, UnrecoverableError } from 'bullmq';
import { BullmqDeployQueue } from '../../core/adapters/bullmq-deploy-queue.js';
import { createRedisConnection } from '../../core/adapters/redis-connection.js';
import type { DeployRequest } from '../../core/domain/deploy-request.js';
import { createDeployWorker } from '../../worker/deploy-worker.js';
import { testEnv, uniqueName } from '../support/test-env.js';

const request: DeployRequest = {
  id: 'T024BE7LD-C024BE91L-13345224609.738474920.8ee904c8',
  service: 'hello-world',
  ref: 'main',
  environment: 'staging',
  requestedBy: { userId: 'U024BE7LH', userName: 'alice' },
  channelId: 'C024BE91L',
  requestedAt: '2026-11-24T12:00:00.000Z',
};

describe('deploy queue on a real Redis', () => {
  const connections = [
    createRedisConnection(testEnv().redisUrl, { blocking: false }),
    createRedisConnection(testEnv().redisUrl, { blocking: true }),
  ] as const;
  const queueName = uniqueName('test-deploys');
  const queue = new BullmqDeployQueue({ connection: connections[0], queueName });

  afterAll(async () => {
    await queue.close();
    const inspector = new Queue(queueName, { connection: connections[0] });
    await inspector.obliterate({ force: true });
    await inspector.close();
    await Promise.all(connections.map((connection) => connection.quit()));
  });

  it('carries a deploy request from the queue to a worker, intact', async () => {
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

    const { jobId } = await queue.enqueue(request);
    await completed;
    await worker.close();

    expect(jobId).toBe(request.id);
    expect(received).toEqual([request]);
  });

  it('queues one job however often the same request is enqueued', async () => {
    const again = { ...request, id: `${request.id}-again` };
    await Promise.all([queue.enqueue(again), queue.enqueue(again), queue.enqueue(again)]);
    const inspector = new Queue(queueName, { connection: connections[0] });
    const waiting = await inspector.getJobs(['waiting', 'wait', 'active', 'completed']);
    await inspector.close();
    expect(
      waiting.filter((job) => job.data && (job.data as DeployRequest).id === again.id),
    ).toHaveLength(1);
  });

  it('refuses a request that breaks the shared schema before it reaches Redis', async () => {
    await expect(
      queue.enqueue({ ...request, id: 'x-1', ref: '--upload-pack=touch /tmp/pwned' }),
    ).rejects.toThrow(/ref/);
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
