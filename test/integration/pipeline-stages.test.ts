import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerodeImageBuilder } from '../../core/adapters/dockerode-image-builder.js';
import { createRedisConnection } from '../../core/adapters/redis-connection.js';
import { RedisTestedImages } from '../../core/adapters/redis-tested-images.js';
import { RegistryApi } from '../../core/adapters/registry-api.js';
import { ContainerProgramRunner } from '../../core/adapters/container-program-runner.js';
import { HostProgramRunner } from '../../core/adapters/host-program-runner.js';
import type { ServiceConfig } from '../../core/domain/catalog.js';
import { DEFAULT_STAGE_TIMEOUTS } from '../../core/domain/stages.js';
import type { PipelineEvent, Stage } from '../../core/pipeline/stage.js';
import { runPipeline } from '../../core/pipeline/runner.js';
import { SecretScrubber } from '../../core/domain/secret-scrubber.js';
import { buildStage } from '../../core/pipeline/stages/build-stage.js';
import { pushStage } from '../../core/pipeline/stages/push-stage.js';
import { sourceStage } from '../../core/pipeline/stages/source-stage.js';
import { testGateStage } from '../../core/pipeline/stages/test-gate-stage.js';
import { dockerFromHost } from '../support/docker-engine.js';
import { deployRequest, STAGING, testGate } from '../support/deploy-fixtures.js';
import { freePort } from '../support/free-port.js';
import { repoRoot } from '../support/paths.js';
import { testEnv, uniqueName } from '../support/test-env.js';

const fixture = join(repoRoot, 'test', 'fixtures', 'services', 'tiny');

function tinyService(
  name: string,
  path: string,
  command: string[] = ['node', 'test.js'],
): ServiceConfig {
  return {
    name,
    source: { kind: 'path', path },
    defaultRef: 'main',
    test: testGate({
      runsIn: { kind: 'image', image: testEnv().nodeBaseImage },
      command,
      timeoutMs: 60_000,
      network: 'none',
    }),
    dockerfile: 'Dockerfile',
    buildArgs: { BASE_IMAGE: testEnv().nodeBaseImage },
    chartPath: join(repoRoot, 'chart', 'hello-world'),
    release: name,
    valuesFiles: {},
  };
}

async function tagsIn(registry: string, repository: string): Promise<string[]> {
  const response = await fetch(`http://${registry}/v2/${repository}/tags/list`);
  if (response.status === 404) return [];
  return ((await response.json()) as { tags: string[] | null }).tags ?? [];
}

describe('source, test gate, build and push with real git, npm-free tests, Docker and a registry', () => {
  const docker = dockerFromHost(testEnv().dockerHost);
  const builder = new DockerodeImageBuilder(docker);
  const programs = new HostProgramRunner();
  const sandbox = new ContainerProgramRunner({ docker });
  const redis = createRedisConnection(testEnv().redisUrl, { blocking: false });
  const testedImages = new RedisTestedImages({ connection: redis, namespace: uniqueName('ns') });
  const tested = { registryApi: new RegistryApi(), testedImages };
  const workDirs: string[] = [];
  const images: string[] = [];

  afterAll(async () => {
    redis.disconnect();
    for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
    for (const image of images)
      await docker
        .getImage(image)
        .remove({ force: true })
        .catch(() => undefined);
  });

  async function deploy(
    service: ServiceConfig,
    stages: Stage[],
    secrets: string[] = [],
    registry: { host: string; repositoryPrefix?: string } = {
      host: testEnv().registry.address,
      repositoryPrefix: 'pipeline-test',
    },
  ) {
    const workDir = mkdtempSync(join(tmpdir(), 'hm-deploy-'));
    workDirs.push(workDir);
    const events: PipelineEvent[] = [];
    const piped = await runPipeline({
      stages,
      context: {
        request: deployRequest({ id: uniqueName('deploy'), service: service.name }),
        service,
        environment: STAGING,
        registry,
        workDir,
        programEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin', CI: 'true' },
      },
      timeouts: {
        ...DEFAULT_STAGE_TIMEOUTS,
        source: 30_000,
        test: 60_000,
        build: 120_000,
        push: 60_000,
      },
      signal: new AbortController().signal,
      scrubber: new SecretScrubber(secrets),
      onEvent: (event) => events.push(event),
    });
    const { source, build, push } = piped.outputs;
    if (build) images.push(`${build.repository}:${build.tag}`);
    // What the stages handed on, by the names this test reads.
    const outcome = { commit: source?.commit, imageTag: build?.tag, digest: push?.digest };
    return { result: { ...piped, outcome }, events };
  }

  const allStages = (attempts?: number) => [
    sourceStage({ programs, builder, tested }),
    testGateStage({ runner: sandbox, builder }),
    buildStage({ builder }),
    pushStage({ builder, tested, ...(attempts ? { attempts, backoffMs: 50 } : {}) }),
  ];

  it('tests, builds an immutably tagged image and pushes it; the registry has it under the recorded digest', async () => {
    const name = uniqueName('tiny');
    const { result, events } = await deploy(tinyService(name, fixture), allStages());
    expect(result.ok).toBe(true);
    const said = events.map((event) => `${event.type} ${event.stage}`);
    // The gate and the build start together once the source is there; the push follows the build.
    expect(said.slice(0, 4)).toEqual([
      'stage-started source',
      'stage-finished source',
      'stage-started test',
      'stage-started build',
    ]);
    expect([...said.slice(4)].sort()).toEqual([
      'stage-finished build',
      'stage-finished push',
      'stage-finished test',
      'stage-started push',
    ]);
    expect(said.indexOf('stage-started push')).toBeGreaterThan(
      said.indexOf('stage-finished build'),
    );
    const { imageTag, digest, commit } = result.outcome;
    expect(commit).toMatch(/^src-[0-9a-f]{12}$/);
    expect(imageTag).toBe(commit);
    expect(await tagsIn(testEnv().registry.address, `pipeline-test/${name}`)).toEqual([imageTag]);
    const manifest = await fetch(
      `http://${testEnv().registry.address}/v2/pipeline-test/${name}/manifests/${digest ?? ''}`,
      { headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' } },
    );
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get('docker-content-digest')).toBe(digest);
  });

  it('stops at the test gate when the service test fails: the build alongside stopped, nothing pushed', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'hm-tiny-broken-'));
    workDirs.push(broken);
    cpSync(fixture, broken, { recursive: true });
    writeFileSync(join(broken, 'greeting.js'), "module.exports = () => 'Goodbye, World!';\n");
    const name = uniqueName('tiny-broken');
    const { result, events } = await deploy(tinyService(name, broken), allStages());
    expect(events.filter((event) => event.type === 'stage-failed').map((e) => e.stage)).toEqual([
      'test',
    ]);
    expect(result).toMatchObject({
      ok: false,
      stage: 'test',
      error: {
        code: 'TEST_FAILED',
        message: `the tests (services.${name}.test.command) exited with code 1`,
      },
    });
    expect(result.ok ? '' : result.log).toMatch(/Goodbye, World!/);
    expect(await tagsIn(testEnv().registry.address, `pipeline-test/${name}`)).toEqual([]);
  });

  it('deletes the image pushed alongside a test gate that then fails: the registry has no such manifest', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'hm-tiny-late-'));
    workDirs.push(broken);
    cpSync(fixture, broken, { recursive: true });
    writeFileSync(join(broken, 'greeting.js'), "module.exports = () => 'Goodbye, World!';\n");
    const name = uniqueName('tiny-late');
    // The gate's tests start only once the push is done, so the image is surely in the registry.
    let pushed: () => void = () => undefined;
    const pushDone = new Promise<void>((resolve) => {
      pushed = resolve;
    });
    const gate = testGateStage({ runner: sandbox, builder });
    const push = pushStage({ builder, tested });
    const stages: Stage[] = [
      sourceStage({ programs, builder, tested }),
      {
        ...gate,
        run: async (context, inputs) => {
          await pushDone;
          return gate.run(context, inputs);
        },
      } satisfies Stage<'test', 'source'>,
      buildStage({ builder }),
      {
        ...push,
        run: async (context, inputs) => {
          const done = await push.run(context, inputs);
          pushed();
          return done;
        },
      } satisfies Stage<'push', 'build'>,
    ];
    const { result, events } = await deploy(tinyService(name, broken), stages);
    expect(result).toMatchObject({ ok: false, stage: 'test', error: { code: 'TEST_FAILED' } });
    expect(events.map((event) => `${event.type} ${event.stage}`)).toContain('stage-finished push');
    const reference = `${testEnv().registry.address}/pipeline-test/${name}:${result.outcome.imageTag ?? ''}`;
    expect(await tested.registryApi.manifestDigest(reference)).toBeUndefined();
    expect(await tagsIn(testEnv().registry.address, `pipeline-test/${name}`)).toEqual([]);
  });

  it('never lets a test that prints the registry password show it', async () => {
    const password = testEnv().authRegistry.password;
    const leaky = mkdtempSync(join(tmpdir(), 'hm-tiny-leaky-'));
    workDirs.push(leaky);
    cpSync(fixture, leaky, { recursive: true });
    writeFileSync(
      join(leaky, 'leak.js'),
      `console.log('password is ${password}'); process.exit(2);\n`,
    );
    const { result } = await deploy(
      tinyService(uniqueName('tiny-leaky'), leaky, ['node', 'leak.js']),
      allStages(),
      [password],
    );
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain(password);
    expect(result.ok ? '' : result.log).toContain('password is [redacted]');
  });

  it('does not hand the worker environment to the tests', async () => {
    const probe = mkdtempSync(join(tmpdir(), 'hm-tiny-env-'));
    workDirs.push(probe);
    cpSync(fixture, probe, { recursive: true });
    writeFileSync(
      join(probe, 'env.js'),
      'console.log(Object.keys(process.env).sort().join(",")); process.exit(1);\n',
    );
    const { result } = await deploy(
      tinyService(uniqueName('tiny-env'), probe, ['node', 'env.js']),
      allStages(),
    );
    // Only what the sandbox sets and what the image itself declares: nothing of the worker's.
    const { Config } = await docker.getImage(testEnv().nodeBaseImage).inspect();
    const declared = Config.Env.map((entry) => entry.split('=')[0] ?? '');
    const expected = [...new Set(['CI', 'HOME', 'HOSTNAME', ...declared])].sort().join(',');
    expect(result.ok ? '' : result.log).toContain(`\n${expected}`);
    expect(expected).not.toContain('DOCKER');
  });

  it('retries a push to a registry that does not answer, then fails with PUSH_FAILED', async () => {
    const name = uniqueName('tiny-unreachable');
    const port = await freePort();
    const stages = allStages(3);
    const { result } = await deploy(tinyService(name, fixture), stages, [], {
      host: `127.0.0.1:${port}`,
    });
    expect(result).toMatchObject({ ok: false, stage: 'push', error: { code: 'PUSH_FAILED' } });
    expect((result.ok ? '' : result.log).match(/retrying in \d+ ms/g)).toHaveLength(2);
  });
});
