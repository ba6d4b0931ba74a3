import { Queue } from 'bullmq';
import { BullmqDeployQueue } from '../../core/adapters/bullmq-deploy-queue.js';
import type { HttpEndpoint } from '../../core/adapters/health-endpoints.js';
import { serveQueueDashboard } from '../../core/adapters/queue-dashboard.js';
import { createRedisConnection } from '../../core/adapters/redis-connection.js';
import { deployRequest } from '../support/deploy-fixtures.js';
import { testEnv, uniqueName } from '../support/test-env.js';

const USER = 'ops';
const PASSWORD = 'a-long-dashboard-Pa55word';

function basic(username: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
}

/** bull-board over a real deploy queue: read-only, and nothing without the password. */
describe('the queue dashboard', () => {
  const connection = createRedisConnection(testEnv().redisUrl, { blocking: false });
  const queueName = uniqueName('dashboard-deploys');
  const prefix = 'hm';
  const queue = new BullmqDeployQueue({ connection, queueName, prefix, holdMs: 600_000 });
  const inspector = new Queue(queueName, { connection, prefix });
  const request = deployRequest({ id: uniqueName('deploy') });
  let dashboard: HttpEndpoint;
  const url = (path: string) => `http://127.0.0.1:${String(dashboard.port)}${path}`;

  beforeAll(async () => {
    dashboard = await serveQueueDashboard({
      connection,
      queueName,
      prefix,
      credentials: { username: USER, password: PASSWORD },
      port: 0,
      host: '127.0.0.1',
    });
    // Held (delayed) until announced: it stays on the queue for the whole test.
    expect(await queue.enqueue(request)).toEqual({ status: 'queued', jobId: request.id });
  });
  afterAll(async () => {
    await dashboard.close();
    await queue.close();
    await inspector.obliterate({ force: true });
    await inspector.close();
    await connection.quit();
  });

  it('asks for a password and shows nothing without the right one', async () => {
    for (const headers of [{}, basic(USER, 'wrong-password'), basic('root', PASSWORD)]) {
      for (const path of ['/', `/api/queues?activeQueue=${queueName}&status=delayed`]) {
        const response = await fetch(url(path), { headers });
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe(
          'Basic realm="Harbormaster queue", charset="UTF-8"',
        );
        expect(await response.text()).not.toContain(request.id);
      }
    }
  });

  it('shows the queue and its deploys to whoever has it', async () => {
    const page = await fetch(url('/'), { headers: basic(USER, PASSWORD) });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('Harbormaster deploys');

    const api = await fetch(url(`/api/queues?activeQueue=${queueName}&status=delayed`), {
      headers: basic(USER, PASSWORD),
    });
    expect(api.status).toBe(200);
    const body = (await api.json()) as {
      queues: {
        name: string;
        readOnlyMode: boolean;
        counts: { delayed: number };
        jobs: { id: string }[];
      }[];
    };
    const shown = body.queues.find((q) => q.name === queueName);
    expect(shown).toMatchObject({ readOnlyMode: true, counts: { delayed: 1 } });
    expect(shown?.jobs.map((job) => job.id)).toEqual([request.id]);
  });

  it('refuses to change a job: a promoted or removed deploy would skip who may deploy', async () => {
    for (const [method, action] of [
      ['PUT', 'promote'],
      ['PUT', 'clean'],
      ['PUT', 'retry'],
    ] as const) {
      const response = await fetch(url(`/api/queues/${queueName}/${request.id}/${action}`), {
        method,
        headers: basic(USER, PASSWORD),
      });
      expect({ action, status: response.status }).toEqual({ action, status: 405 });
    }
    const job = await inspector.getJob(request.id);
    expect(await job?.getState()).toBe('delayed');
  });
});
