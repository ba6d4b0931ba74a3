import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, UnrecoverableError, type Job } from 'bullmq';
import { BullmqDeployQueue, KEEP_JOBS } from '../../core/adapters/bullmq-deploy-queue.js';
import { isWithdrawn } from '../../core/adapters/queue/queue-keys.js';
import { createRedisConnection } from '../../core/adapters/redis-connection.js';
import type { DeployRequest } from '../../core/domain/deploy-request.js';
import { signDeployRequest } from '../../core/domain/job-signature.js';
import type { EnqueueLimits } from '../../core/ports/deploy-queue.js';
import { createDeployWorker, type RefusedJob } from '../../worker/deploy-worker.js';
import { eventually } from '../support/eventually.js';
import { startHoldingProxy } from '../support/holding-proxy.js';
import { TEST_JOB_KEY } from '../support/job-key.js';
import { testEnv, uniqueName } from '../support/test-env.js';

const request: DeployRequest = {
  id: 'deploy-13345224609.738474920.8ee904c8',
  service: 'hello-world',
  ref: 'main',
  environment: 'staging',
  origin: { channel: 'C024BE91L', user: { id: 'U024BE7LH', name: 'alice' } },
  requestedAt: new Date().toISOString(),
};

const LIMITS: EnqueueLimits = {
  release: 'staging/hello-world',
  maxQueuedPerRelease: 100,
  maxPerPersonPerMinute: 100,
};
const options = (limits: Partial<EnqueueLimits> = {}) => ({
  limits: { ...LIMITS, ...limits },
  deadlineMs: 5000,
});

describe('deploy queue on a real Redis', () => {
  const connections = [
    createRedisConnection(testEnv().redisUrl, { blocking: false }),
    createRedisConnection(testEnv().redisUrl, { blocking: true }),
  ] as const;
  const queueName = uniqueName('test-deploys');
  const queue = new BullmqDeployQueue({
    connection: connections[0],
    queueName,
    holdMs: 60_000,
    jobKey: TEST_JOB_KEY,
  });
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

  /** A worker on `name` that records what it runs and what it refuses. */
  function worker(name = queueName) {
    const ran: DeployRequest[] = [];
    const refused: { job: Job; refused: RefusedJob }[] = [];
    const running = createDeployWorker({
      connection: connections[1],
      queueName: name,
      concurrency: 1,
      jobKey: TEST_JOB_KEY,
      isWithdrawn: (jobId) => isWithdrawn(connections[0], name, jobId),
      handle: (deploy) => {
        ran.push(deploy);
        return Promise.resolve();
      },
      onRefused: (job, verdict) => {
        refused.push({ job, refused: verdict });
        return Promise.resolve();
      },
    });
    const failed = (id: string) =>
      new Promise<Error>((resolve) =>
        running.on('failed', (job, error) => {
          if (job?.id === id) resolve(error);
        }),
      );
    return { running, ran, refused, failed };
  }

  it('carries a signed deploy request to a worker once announced, with its message', async () => {
    const { running, ran } = worker();
    const completed = new Promise((resolve) => running.once('completed', resolve));

    expect(await queue.enqueue(request, options())).toEqual({
      status: 'queued',
      jobId: request.id,
    });
    const job = await inspector.getJob(request.id);
    expect(await job?.isDelayed()).toBe(true);
    expect(job?.data).toEqual(signDeployRequest(request, TEST_JOB_KEY));
    // Finished jobs are kept by count as well as by age.
    expect(job?.opts.removeOnComplete).toEqual(KEEP_JOBS.completed);
    expect(job?.opts.removeOnFail).toEqual(KEEP_JOBS.failed);
    expect(KEEP_JOBS).toEqual({
      completed: { age: 7 * 24 * 3600, count: 1000 },
      failed: { age: 30 * 24 * 3600, count: 1000 },
    });
    await queue.announce(request.id, '1732449600.000100');
    await completed;
    await running.close();

    expect(ran).toEqual([
      { ...request, origin: { ...request.origin, message: '1732449600.000100' } },
    ]);
  });

  it('queues one job however often the same request id arrives', async () => {
    const again = { ...request, id: `${request.id}-again`, ref: 'v2' };
    const results = await Promise.all([
      queue.enqueue(again, options()),
      queue.enqueue(again, options()),
      queue.enqueue(again, options()),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual([
      'duplicate',
      'duplicate',
      'queued',
    ]);
    expect(results).toEqual(
      results.map(() => expect.objectContaining({ jobId: again.id }) as unknown),
    );
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
    expect(await queue.enqueue(first, options())).toEqual({
      status: 'queued',
      jobId: 'deploy-first',
    });
    expect(await queue.enqueue(second, options())).toEqual({
      status: 'duplicate',
      jobId: 'deploy-first',
    });
    expect(await queue.enqueue(other, options())).toEqual({
      status: 'queued',
      jobId: 'deploy-other-person',
    });
    expect(await jobsOf('deploy-second')).toHaveLength(0);
  });

  it('refuses a person past their deploys per minute, and says when to try again', async () => {
    const carol = { id: 'U0CAROL', name: 'carol' };
    const asks = [1, 2, 3].map((n) => ({
      ...request,
      id: `deploy-rate-${n}`,
      ref: `rate-${n}`,
      origin: { ...request.origin, user: carol },
    }));
    const limits = { maxPerPersonPerMinute: 2, release: 'staging/rate' };
    const results = [];
    for (const ask of asks) results.push(await queue.enqueue(ask, options(limits)));
    expect(results.slice(0, 2).map((result) => result.status)).toEqual(['queued', 'queued']);
    expect(results[2]).toEqual({
      status: 'rate-limited',
      limit: 2,
      retryAfterMs: expect.any(Number) as unknown,
    });
    const retry = results[2]?.status === 'rate-limited' ? results[2].retryAfterMs : -1;
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60_000);
    expect(await jobsOf('deploy-rate-3')).toHaveLength(0);
    // Refused, so its request id and double-submit key are free: the same command later works.
    expect(
      await queue.enqueue(
        asks[2] as DeployRequest,
        options({ ...limits, maxPerPersonPerMinute: 3 }),
      ),
    ).toEqual({
      status: 'queued',
      jobId: 'deploy-rate-3',
    });
  });

  it('refuses a deploy of a release that has its most deploys queued, naming them', async () => {
    const limits = { maxQueuedPerRelease: 2, release: 'staging/full' };
    const asks = [1, 2, 3].map((n) => ({ ...request, id: `deploy-full-${n}`, ref: `full-${n}` }));
    const results = await Promise.all(asks.map((ask) => queue.enqueue(ask, options(limits))));
    expect(results.filter((result) => result.status === 'queued')).toHaveLength(2);
    const refused = results.find((result) => result.status === 'release-full');
    expect(refused).toEqual({
      status: 'release-full',
      limit: 2,
      queued: expect.arrayContaining([
        expect.objectContaining({ service: 'hello-world' }),
      ]) as unknown,
    });
    expect(refused?.status === 'release-full' ? refused.queued : []).toHaveLength(2);
    // Once one of them is no longer queued (here: removed), there is room again.
    const queuedIds = results.flatMap((result) =>
      result.status === 'queued' ? [result.jobId] : [],
    );
    await inspector.remove(queuedIds[0] ?? '');
    expect(
      await queue.enqueue({ ...request, id: 'deploy-full-4', ref: 'full-4' }, options(limits)),
    ).toEqual({
      status: 'queued',
      jobId: 'deploy-full-4',
    });
  });

  it('lets a held job run after its hold even if never announced', async () => {
    const shortHold = new BullmqDeployQueue({
      connection: connections[0],
      queueName,
      holdMs: 200,
      jobKey: TEST_JOB_KEY,
    });
    const held = { ...request, id: 'deploy-held', ref: 'v4' };
    const { running } = worker();
    const completed = new Promise<string | undefined>((resolve) =>
      running.on('completed', (job) => {
        if (job.id === held.id) resolve(job.id);
      }),
    );
    await shortHold.enqueue(held, options());
    expect(await completed).toBe('deploy-held');
    await running.close();
    await shortHold.close();
  });

  it('takes the same deploy again, by the same person, as a new one once the first has ended', async () => {
    const first = { ...request, id: 'deploy-redo-1', ref: 'v5' };
    const { running } = worker();
    const completed = new Promise<void>((resolve) =>
      running.on('completed', (job) => {
        if (job.id === first.id) resolve();
      }),
    );
    expect(await queue.enqueue(first, options())).toEqual({ status: 'queued', jobId: first.id });
    // Still queued: the same command again is a double submit.
    expect(await queue.enqueue({ ...first, id: 'deploy-redo-early' }, options())).toEqual({
      status: 'duplicate',
      jobId: first.id,
    });
    await queue.announce(first.id, undefined);
    await completed;
    await running.close();
    // Ended, within the double-submit window: two more at once are one new deploy and its double.
    const again = await Promise.all([
      queue.enqueue({ ...first, id: 'deploy-redo-2' }, options()),
      queue.enqueue({ ...first, id: 'deploy-redo-3' }, options()),
    ]);
    const queued = again.filter((result) => result.status === 'queued');
    expect(queued).toHaveLength(1);
    const duplicate = again.find((result) => result.status === 'duplicate');
    expect(duplicate?.status === 'duplicate' ? duplicate.jobId : '').toBe(queued[0]?.jobId);
    expect(await jobsOf('deploy-redo-early')).toHaveLength(0);
    expect((await jobsOf('deploy-redo-2')).length + (await jobsOf('deploy-redo-3')).length).toBe(1);
  });

  it('keeps a job held while its message is still being posted, past its hold, and runs it once announced', async () => {
    const holdMs = 2000;
    const slowPost = new BullmqDeployQueue({
      connection: connections[0],
      queueName,
      holdMs,
      jobKey: TEST_JOB_KEY,
    });
    const held = { ...request, id: 'deploy-slow-post', ref: 'v6' };
    const { running, ran } = worker();
    const completed = new Promise<void>((resolve) =>
      running.on('completed', (job) => {
        if (job.id === held.id) resolve();
      }),
    );
    try {
      await slowPost.enqueue(held, options());
      // A post that waits out rate limits for longer than the hold: the hold itself is the subject.
      const messageId = await slowPost.holdWhile(held.id, () =>
        sleep(2.5 * holdMs).then(() => '1700000000.000200'),
      );
      expect(await inspector.getJobState(held.id)).toBe('delayed');
      expect(ran.filter((taken) => taken.id === held.id)).toEqual([]);
      await slowPost.announce(held.id, messageId);
      await completed;
      expect(
        ran.filter((taken) => taken.id === held.id).map((taken) => taken.origin.message),
      ).toEqual([messageId]);
    } finally {
      await running.close();
      await slowPost.close();
    }
  });

  it('refuses a request that breaks the shared schema before it reaches Redis', async () => {
    await expect(
      queue.enqueue({ ...request, id: 'x-1', ref: '--upload-pack=touch /tmp/pwned' }, options()),
    ).rejects.toThrow(/ref/);
    expect(await jobsOf('x-1')).toHaveLength(0);
  });

  it('withdraws a job whose add was sent but not confirmed in time: it lands, is removed, and its claims are freed', async () => {
    const target = new URL(testEnv().redisUrl);
    const proxy = await startHoldingProxy({
      host: target.hostname,
      port: Number(target.port || '6379'),
    });
    const slow = createRedisConnection(`redis://127.0.0.1:${String(proxy.port)}`, {
      blocking: false,
    });
    const slowQueue = new BullmqDeployQueue({
      connection: slow,
      queueName,
      holdMs: 60_000,
      jobKey: TEST_JOB_KEY,
    });
    const late = { ...request, id: 'deploy-late-add', ref: 'late-add-marker' };
    try {
      await slowQueue.ping();
      // Only the add carries the ref in clear: the claims before it hash it.
      proxy.holdWhenSeen(late.ref);
      expect(await slowQueue.enqueue(late, { ...options(), deadlineMs: 500 })).toEqual({
        status: 'unconfirmed',
        jobId: late.id,
        mayBeQueued: true,
      });
      expect(proxy.holding()).toBe(true);
      expect(await jobsOf(late.id)).toHaveLength(0);
      proxy.release();
      await eventually('the late job is marked withdrawn, so no worker runs it', () =>
        isWithdrawn(connections[0], queueName, late.id),
      );
      await eventually('the late job is removed once it landed', async () => {
        const claimed = await connections[0].exists(`harbormaster:${queueName}:request:${late.id}`);
        return claimed === 0 && (await inspector.getJob(late.id)) === undefined;
      });
      // Its claims are free: the same command, sent again, is queued.
      expect(await queue.enqueue({ ...late, id: 'deploy-late-again' }, options())).toEqual({
        status: 'queued',
        jobId: 'deploy-late-again',
      });
    } finally {
      proxy.release();
      await slowQueue.close();
      slow.disconnect();
      await proxy.close();
    }
  });

  describe('a job written into Redis by hand', () => {
    const forgedQueue = uniqueName('test-forged');
    const raw = new Queue(forgedQueue, { connection: connections[0] });
    afterAll(async () => {
      await raw.obliterate({ force: true });
      await raw.close();
    });

    it.each([
      ['unsigned', 'forged-unsigned', () => ({ ...request, id: 'forged-unsigned' })],
      [
        'forged',
        'forged-other-payload',
        // Signed for main, then pointed at another ref: the signature no longer fits.
        () => ({
          ...signDeployRequest({ ...request, id: 'forged-other-payload' }, TEST_JOB_KEY),
          ref: 'evil',
        }),
      ],
      [
        'forged',
        'forged-other-key',
        () =>
          signDeployRequest(
            { ...request, id: 'forged-other-key' },
            'some other key entirely!!!!!!!!!',
          ),
      ],
      [
        'replayed',
        'forged-replayed',
        // A signed job queued again under another job id.
        () => signDeployRequest({ ...request, id: 'deploy-original' }, TEST_JOB_KEY),
      ],
      ['unsigned', 'forged-not-a-request', () => ({ service: 'hello-world' })],
    ])('is refused as %s, once, and never runs (%s)', async (refusal, jobId, data) => {
      const { running, ran, refused, failed } = worker(forgedQueue);
      const failure = failed(jobId);
      await raw.add('deploy', data(), { jobId, attempts: 3 });
      const error = await failure;
      await running.close();
      expect(error).toBeInstanceOf(UnrecoverableError);
      expect(error.message).toMatch(new RegExp(`^job ${jobId} refused \\(${refusal}\\)`));
      expect(refused.map((entry) => entry.refused.refusal)).toEqual([refusal]);
      expect(ran).toEqual([]);
      expect((await raw.getJob(jobId))?.attemptsMade).toBe(1);
    });
  });
});
