import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { signDeployRequest } from '../../core/domain/job-signature.js';
import { createLogger } from '../../core/logger.js';
import { endIfAbandoned } from '../../worker/deploy-job.js';
import { deployRequest } from '../support/deploy-fixtures.js';
import { eventuallyValue } from '../support/eventually.js';
import { TEST_JOB_KEY } from '../support/job-key.js';
import { testEnv, uniqueName } from '../support/test-env.js';
import { fakeDeploy } from '../unit/use-cases/run-deploy-harness.js';

/**
 * A deploy job that fails without its end told, on the real BullMQ and Redis: the message it
 * points at is ended, saying why, with nothing secret or internal in it.
 */
describe('a deploy job that fails without telling its end', () => {
  const connection = new Redis(testEnv().redisUrl, { maxRetriesPerRequest: null });
  const name = uniqueName('worker-error-end');
  const queue = new Queue(name, { connection });
  let worker: Worker | undefined;

  afterAll(async () => {
    await worker?.close();
    await queue.close();
    connection.disconnect();
  });

  it('says the worker failed unexpectedly, with the error scrubbed, and not that workers stopped', async () => {
    const { deps, chat } = fakeDeploy({
      secrets: ['hunter2-registry-password'],
      infrastructure: { servers: ['https://prod-api.corp.example:6443'], paths: [] },
    });
    const asked = deployRequest({ id: uniqueName('deploy') });
    const message = await chat.post(asked.origin.channel, { summary: [], blocks: [] });
    const request = { ...asked, origin: { ...asked.origin, message } };
    const logger = createLogger({ name: 'test', level: 'silent' });
    worker = new Worker(
      name,
      () => {
        throw new Error(
          'connect ECONNREFUSED https://prod-api.corp.example:6443 with hunter2-registry-password',
        );
      },
      { connection: connection.duplicate({ maxRetriesPerRequest: null }) },
    );
    worker.on('failed', (job: Job | undefined) => {
      if (job) endIfAbandoned(job, TEST_JOB_KEY, () => deps, logger);
    });
    await queue.add('deploy', signDeployRequest(request, TEST_JOB_KEY), { jobId: request.id });

    const shown = await eventuallyValue('the message is ended', () => {
      const text = chat.read(message);
      return text.includes('failed unexpectedly') ? text : undefined;
    });
    expect(shown).toContain(
      'the worker failed unexpectedly: connect ECONNREFUSED [API server] with [redacted]',
    );
    expect(shown).not.toContain('workers running this deploy stopped');
    expect(shown).not.toContain('hunter2');
    expect(shown).not.toContain('prod-api.corp.example');
  });
});
