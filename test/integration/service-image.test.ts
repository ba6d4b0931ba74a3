import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import ignoreModule from '@balena/dockerignore';
import type Docker from 'dockerode';
import tar from 'tar-fs';
import { dockerFromHost } from '../support/docker-engine.js';
import { freePort } from '../support/free-port.js';
import { repoRoot } from '../support/paths.js';
import { testEnv, uniqueName } from '../support/test-env.js';

const serviceDir = join(repoRoot, 'service');

type IgnoreFactory = typeof ignoreModule.default;
// CommonJS typed as an ES default export: the factory is the module itself or its `default`.
const dockerignore = ((ignoreModule as { default?: IgnoreFactory }).default ??
  ignoreModule) as IgnoreFactory;

/** service/ as a tar stream, minus what service/.dockerignore leaves out (as `docker build` does). */
function buildContext(): NodeJS.ReadableStream {
  const rules = dockerignore({ ignorecase: false }).add(
    readFileSync(join(serviceDir, '.dockerignore'), 'utf8'),
  );
  const pack = tar.pack(serviceDir, {
    ignore: (path) => {
      const inContext = relative(serviceDir, path).split(sep).join('/');
      return inContext !== '' && rules.ignores(inContext);
    },
  });
  return pack as unknown as NodeJS.ReadableStream;
}

interface BuildEvent {
  stream?: string;
  error?: string;
  errorDetail?: { message: string };
}

async function build(docker: Docker, tag: string): Promise<void> {
  const stream = await docker.buildImage(buildContext(), {
    t: tag,
    // No bridge network here: npm ci inside the build reaches the registry through the host's.
    networkmode: 'host',
    buildargs: { VERSION: '1.2.3-test', REVISION: 'test-revision', SOURCE: 'test-source' },
    rm: true,
    forcerm: true,
  });
  const events = await new Promise<BuildEvent[]>((resolve, reject) => {
    docker.modem.followProgress(stream, (error: Error | null, output: BuildEvent[]) => {
      if (error) reject(error);
      else resolve(output);
    });
  });
  const log = events.map((event) => event.stream ?? '').join('');
  const failure = events.find((event) => event.error !== undefined);
  if (failure) throw new Error(`docker build failed: ${failure.error ?? ''}\n${log}`);
}

/** Output of a command run inside the container (stdout and stderr together). */
async function execIn(
  docker: Docker,
  container: Docker.Container,
  command: string[],
): Promise<string> {
  const exec = await container.exec({ Cmd: command, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  docker.modem.demuxStream(stream, output, output);
  await new Promise((resolve) => stream.on('end', resolve));
  return Buffer.concat(chunks).toString('utf8');
}

async function get(url: string): Promise<Response> {
  return fetch(url, { signal: AbortSignal.timeout(5_000) });
}

/** Polls until the container answers on loopback, or it has stopped, or 30 attempts pass. */
async function waitUntilServing(container: Docker.Container, url: string): Promise<void> {
  for (let attempt = 0; attempt < 60; attempt += 1) {
    try {
      await get(url);
      return;
    } catch {
      const state = (await container.inspect()).State;
      if (!state.Running) throw new Error(`the container stopped with code ${state.ExitCode}`);
      await sleep(250);
    }
  }
  throw new Error(`nothing answered on ${url}`);
}

describe('service image (service/Dockerfile)', () => {
  const tag = `${uniqueName('harbormaster-test/hello-world')}:test`;
  const containerName = uniqueName('hm-hello-world');
  let docker: Docker;

  beforeAll(async () => {
    docker = dockerFromHost(testEnv().dockerHost);
    await build(docker, tag);
  }, 300_000);

  afterAll(async () => {
    await docker
      .getContainer(containerName)
      .remove({ force: true })
      .catch(() => undefined);
    await docker
      .getImage(tag)
      .remove({ force: true })
      .catch(() => undefined);
  });

  it('labels the image from the build args, exposes 5000 and runs node as the node user', async () => {
    const image = await docker.getImage(tag).inspect();
    expect(image.Config.Labels).toMatchObject({
      'org.opencontainers.image.version': '1.2.3-test',
      'org.opencontainers.image.revision': 'test-revision',
      'org.opencontainers.image.source': 'test-source',
    });
    expect(Object.keys(image.Config.ExposedPorts)).toEqual(['5000/tcp']);
    expect(image.Config.User).toBe('node');
    expect(image.Config.Cmd).toEqual(['node', '--enable-source-maps', 'dist/main.js']);
  });

  it('serves the greeting, is healthy, runs as uid 1000 and exits 0 within 10 s of SIGTERM', async () => {
    const port = await freePort();
    const container = await docker.createContainer({
      name: containerName,
      Image: tag,
      Env: [`PORT=${port}`, 'HOST=127.0.0.1'],
      HostConfig: { NetworkMode: 'host' },
    });
    await container.start();
    const base = `http://127.0.0.1:${port}`;
    await waitUntilServing(container, `${base}/healthz`);

    const greeting = await get(`${base}/`);
    expect(greeting.status).toBe(200);
    expect(await greeting.json()).toEqual({
      message: 'Hello, World!',
      service: 'hello-world',
      version: '1.2.3-test',
    });
    const health = await get(`${base}/healthz`);
    expect(health.status).toBe(200);
    const ready = await get(`${base}/readyz`);
    expect(ready.status).toBe(200);

    expect((await execIn(docker, container, ['id', '-u'])).trim()).toBe('1000');
    // The production image carries no dev dependency and no TypeScript source.
    expect(await execIn(docker, container, ['ls', '/app'])).toBe(
      'dist\nnode_modules\npackage.json\n',
    );
    expect(await execIn(docker, container, ['ls', '/app/node_modules/typescript'])).toContain(
      'No such file or directory',
    );

    await container.kill({ signal: 'SIGTERM' });
    const bound = new AbortController();
    const exited = await Promise.race([
      container.wait() as Promise<{ StatusCode: number }>,
      sleep(10_000, 'still running 10 s after SIGTERM', { signal: bound.signal }).catch(
        () => 'timer cancelled',
      ),
    ]);
    bound.abort();
    expect(exited).toEqual(expect.objectContaining({ StatusCode: 0 }));

    const logs = (await container.logs({ stdout: true, stderr: true })).toString('utf8');
    expect(logs).toContain('"signal":"SIGTERM","msg":"signal received"');
    expect(logs).toContain('"drained":true,"msg":"stopped"');
  });
});
