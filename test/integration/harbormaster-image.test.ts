import type Docker from 'dockerode';
import { dockerFromHost } from '../support/docker-engine.js';
import { eventually } from '../support/eventually.js';
import { freePort } from '../support/free-port.js';
import { demultiplex, ensureHarbormasterImage, runToEnd } from '../support/harbormaster-image.js';
import { testEnv, uniqueName } from '../support/test-env.js';

/** The first build on a fresh machine installs the npm packages: minutes, on a busy 2-core one. */
const BUILD_LIMIT_MS = 15 * 60_000;

describe("Harbormaster's image, as docker compose builds and runs it", () => {
  let docker: Docker;
  let image: string;
  const buildLog: string[] = [];
  const started: Docker.Container[] = [];

  beforeAll(async () => {
    docker = dockerFromHost(testEnv().dockerHost);
    image = await ensureHarbormasterImage(docker, (line) => buildLog.push(line)).catch(
      (error: unknown) => {
        throw new Error(`${(error as Error).message}\n${buildLog.slice(-40).join('\n')}`);
      },
    );
  }, BUILD_LIMIT_MS);
  afterAll(async () => {
    await Promise.all(started.map((container) => container.remove({ force: true })));
  });

  /** Starts the image's bot or worker with --network host, as the compose stack does. */
  async function startProcess(name: 'bot' | 'worker', env: Record<string, string>) {
    const container = await docker.createContainer({
      Image: image,
      name: uniqueName(`hm-image-${name}`),
      Cmd: ['node', `dist/${name}/main.js`],
      Env: Object.entries({
        REDIS_URL: testEnv().redisUrl,
        HARBORMASTER_QUEUE: uniqueName('image-deploys'),
        ...env,
      }).map(([key, value]) => `${key}=${value}`),
      HostConfig: { NetworkMode: 'host' },
    });
    started.push(container);
    await container.start();
    return container;
  }

  async function answersHealthz(container: Docker.Container, port: number) {
    await eventually(
      `the container answers /healthz on ${port}`,
      async () => {
        const state = (await container.inspect()).State;
        if (!state.Running) {
          const logs = await container.logs({ stdout: true, stderr: true });
          throw new Error(`it exited (${state.ExitCode}):\n${demultiplex(logs)}`);
        }
        return (
          (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.ok ?? false
        );
      },
      60_000,
    );
  }

  it('the bot starts with no Slack token (the console on) and answers /healthz and /readyz', async () => {
    const port = await freePort();
    const bot = await startProcess('bot', { PORT: String(port) });
    await answersHealthz(bot, port);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { redis: 'up' } });
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(await page.text()).toContain('<title>Harbormaster console</title>');
  });

  it('the worker checks helm at start-up and answers /healthz', async () => {
    const port = await freePort();
    const worker = await startProcess('worker', { WORKER_PORT: String(port) });
    await answersHealthz(worker, port);
    const logs = demultiplex(await worker.logs({ stdout: true, stderr: true }));
    expect(logs).toMatch(/helm.*v4\./);
  });

  it('carries git and helm', async () => {
    const git = await runToEnd(docker, image, ['git', '--version']);
    expect(git.exitCode).toBe(0);
    expect(git.output).toMatch(/^git version \d+\./);
    const helm = await runToEnd(docker, image, ['helm', 'version', '--short']);
    expect(helm.exitCode).toBe(0);
    expect(helm.output).toMatch(/^v4\.\d+\.\d+/);
  });
});
