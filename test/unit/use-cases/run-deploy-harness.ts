import { Writable } from 'node:stream';
import type { InfrastructureDetails } from '../../../core/domain/infrastructure-redaction.js';
import { createLogger } from '../../../core/logger.js';
import type { DeployDependencies } from '../../../core/use-cases/deploy-dependencies.js';
import { runDeploy, type DeployRun } from '../../../core/use-cases/run-deploy.js';
import { catalog, deployRequest, serviceConfig, testGate } from '../../support/deploy-fixtures.js';
import {
  FakeChat,
  FakeCluster,
  FakeDirectory,
  FakeHelm,
  FakeImageBuilder,
  FakeProgramRunner,
  FakeReleaseLock,
  fakeBrakes,
  FakeImageRegistry,
  FakeTestedImages,
} from '../../support/fakes/index.js';
import type { DeployRequest } from '../../../core/domain/deploy-request.js';

export const COMMIT = '3f2c9a1b7d4e5f60718293a4b5c6d7e8f9012345';

/** A runDeploy with every port faked: what the tests look at, and how to run a deploy. */
export function fakeDeploy(
  options: { secrets?: string[]; infrastructure?: InfrastructureDetails; logs?: string[] } = {},
) {
  const logs = options.logs;
  const chat = new FakeChat();
  const helm = new FakeHelm();
  const cluster = new FakeCluster(helm);
  const registryApi = new FakeImageRegistry();
  const testedImages = new FakeTestedImages();
  const builder = new FakeImageBuilder(registryApi);
  const lock = new FakeReleaseLock();
  const directory = new FakeDirectory();
  const programs = new FakeProgramRunner()
    .on(['git', 'rev-parse'], { kind: 'exited', exitCode: 0, stdout: `${COMMIT}\n` })
    .on(['git', 'ls-remote'], {
      kind: 'exited',
      exitCode: 0,
      stdout: ['refs/heads/main', 'refs/heads/feature', 'refs/tags/v2']
        .map((name) => `${COMMIT}\t${name}`)
        .join('\n'),
    });
  cluster.setAddress('hello-world', {
    kind: 'node-port',
    host: '127.0.0.1',
    port: 31234,
    url: 'http://127.0.0.1:31234',
  });
  const service = serviceConfig({
    source: { kind: 'git', url: 'https://git.example/hello-world.git' },
    test: testGate({ timeoutMs: 60_000 }),
  });
  const brakes = fakeBrakes();
  const deps: DeployDependencies = {
    catalog: catalog({
      services: { 'hello-world': service },
      notifications: {
        failureChannel: 'C0ALERTS',
        mention: { users: [], userGroups: ['S0ONCALL'] },
      },
    }),
    registry: { host: 'registry.example', repositoryPrefix: 'team' },
    programEnv: { PATH: '/usr/bin:/bin', CI: 'true' },
    secrets: options.secrets ?? [],
    programs,
    // The fake runs nothing, so the sandbox and the worker may share it: `runs` shows both.
    testRunner: programs,
    builder,
    registryApi,
    testedImages,
    helm,
    cluster,
    chat,
    directory,
    lock,
    ...brakes,
    logger: createLogger({
      name: 'test',
      level: logs ? 'info' : 'silent',
      ...(logs
        ? {
            destination: new Writable({
              write(chunk: Buffer, _encoding, done) {
                logs.push(chunk.toString());
                done();
              },
            }),
          }
        : {}),
    }),
    ...(options.infrastructure ? { infrastructure: options.infrastructure } : {}),
    progressIntervalMs: 1,
    pushBackoffMs: 1,
  };
  const release = { release: 'hello-world', namespace: 'staging' };
  const positions: string[] = [];
  /** Runs one deploy of `request` (alice's hello-world@main by default), posting its message first. */
  async function deploy(request: Partial<DeployRequest> = {}, run: Partial<DeployRun> = {}) {
    const asked = deployRequest(request);
    const message = await chat.post(asked.origin.channel, { summary: [], blocks: [] });
    const withMessage = { ...asked, origin: { ...asked.origin, message } };
    const end = await runDeploy(withMessage, deps, {
      signal: new AbortController().signal,
      resumed: false,
      onStage: (position) => positions.push(`${position.stage} after [${position.done.join(' ')}]`),
      ...run,
    });
    return { end, message, read: () => chat.read(message) };
  }
  return {
    deps,
    chat,
    helm,
    cluster,
    builder,
    registryApi,
    testedImages,
    lock,
    directory,
    brakes,
    programs,
    release,
    positions,
    deploy,
  };
}
