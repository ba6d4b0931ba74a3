import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHANNEL, startDeployHarness, type DeployHarness } from '../support/deploy-harness.js';
import { freePort } from '../support/free-port.js';
import { uniqueName } from '../support/test-env.js';
import { PEOPLE } from '../support/bot-harness.js';
import { spawnWorkerProcess } from '../support/worker-process.js';
import { expectNoUnhandled, finalMessage, sendDeploy } from './deploy-helpers.js';

/** How soon a killed worker's job is taken again: short, yet long past a busy machine's pauses. */
const LOCK_DURATION_MS = 15_000;

async function spawnWorker(
  harness: DeployHarness,
  options: { port?: number; lockDurationMs?: number } = {},
): Promise<ChildProcess> {
  return (await spawnWorkerProcess(harness.env, options)).child;
}

describe('a worker that dies mid-deploy', () => {
  let harness: DeployHarness;
  let worker: ChildProcess | undefined;

  beforeAll(async () => {
    harness = await startDeployHarness(['slow'], {
      inProcessWorker: false,
      lockDurationMs: LOCK_DURATION_MS,
    });
    // A build step long enough to be caught in the middle, after a file that no earlier run
    // had, so Docker's layer cache cannot skip it.
    writeFileSync(join(harness.sources.slow ?? '', 'nonce.txt'), uniqueName('nonce'));
    writeFileSync(
      join(harness.sources.slow ?? '', 'Dockerfile'),
      [
        'ARG BASE_IMAGE=node:24-slim',
        'FROM ${BASE_IMAGE} AS test',
        'WORKDIR /app',
        'COPY . ./',
        'FROM ${BASE_IMAGE}',
        'WORKDIR /app',
        'COPY server.js greeting.js nonce.txt ./',
        'RUN node -e "setTimeout(() => {}, 6000)"',
        'USER node',
        'CMD ["node", "server.js"]',
        '',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    worker?.kill('SIGKILL');
    await harness.stopAll();
  });
  afterEach(() => {
    expectNoUnhandled(harness);
  });

  it('is resumed by another worker after SIGKILL during the build, and the deploy still ends', async () => {
    worker = await spawnWorker(harness, { lockDurationMs: LOCK_DURATION_MS });
    const jobId = await sendDeploy(harness, 'slow');
    await harness.slack.waitFor(
      () =>
        harness.slack
          .channel(CHANNEL.id)
          .messages.some((m) =>
            m.rendered.includes(':arrows_counterclockwise: Build image · running'),
          ),
      { timeoutMs: 60_000, description: 'the build to start' },
    );
    const exited = new Promise((resolve) => worker?.once('exit', resolve));
    worker.kill('SIGKILL');
    await exited;

    harness.startAnotherWorker();
    // Taken again once its lock lapses; run once the dead worker's release lease (30 s) has too.
    const { message, state, job } = await finalMessage(harness, jobId, 240_000);
    expect(state).toBe('completed');
    expect(job.attemptsStarted).toBeGreaterThan(1);
    expect(message.rendered.split('\n')[0]).toBe(':white_check_mark: Deployed slow@main → staging');
    expect(message.rendered).toContain(':recycle: Resumed after a worker restart');
    expect(message.rendered).toMatch(/^Address: http:\/\//m);
  }, 300_000);

  it('finishes the deploy it is running when told to stop (SIGTERM), then exits cleanly', async () => {
    writeFileSync(join(harness.sources.slow ?? '', 'nonce.txt'), uniqueName('nonce'));
    // Only the worker about to be stopped may take this deploy.
    await Promise.all(harness.workers.map((running) => running.stop(5000)));
    const port = await freePort();
    const stopping = await spawnWorker(harness, { port });
    worker = stopping;
    const get = async (path: string) => {
      const response = await fetch(`http://127.0.0.1:${String(port)}${path}`);
      return { status: response.status, body: await response.json() };
    };
    expect(await get('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await get('/readyz')).toEqual({
      status: 200,
      body: { status: 'ready', checks: { redis: 'up', worker: 'up' } },
    });
    // Bob's: alice's deploy of the same directory, moments ago, would count as a double submit.
    const jobId = await sendDeploy(harness, 'slow', PEOPLE.bob);
    // Stopped once its image is pushed: what is left (helm, rollout) fits well inside the
    // worker's 60 s grace even on a slow, busy machine, where the build alone can take a minute.
    // A stage's done mark stays in the message, so the moment cannot be missed.
    await harness.slack.waitFor(
      () =>
        harness.slack
          .channel(CHANNEL.id)
          .messages.some(
            (m) =>
              m.rendered.includes('Requested by @bob') &&
              m.rendered.includes(':white_check_mark: Push image'),
          ),
      { timeoutMs: 150_000, description: 'the image to be pushed' },
    );
    const exitCode = new Promise<number | null>((resolve) => stopping.once('exit', resolve));
    stopping.kill('SIGTERM');
    expect(await exitCode).toBe(0);
    const { message, state } = await finalMessage(harness, jobId);
    // The message with the state: a failure under load names its stage and reason.
    expect({ state, message: message.rendered }).toMatchObject({ state: 'completed' });
    expect(message.rendered).not.toContain('Resumed after a worker restart');
    // The whole deploy, on a fresh 2-core machine running other suites.
  }, 300_000);
});
