import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerFromHost, ensureDockerEngine } from './docker-engine.js';
import { ensureHelmBinary } from './helm-binary.js';
import type { ManagedProcess } from './managed-process.js';
import { ensureNodeBaseImage } from './node-base-image.js';
import { startRedisServer } from './redis-server.js';
import { startRegistry } from './registry.js';
import { TEST_ENV_FILE_VARIABLE, type TestEnv } from './test-env.js';

declare global {
  var harbormasterTestProcesses: ManagedProcess[] | undefined;
}

/** Starts the real services once per test run; global-teardown.ts stops them. */
export async function startTestEnv(): Promise<void> {
  const workDir = mkdtempSync(join(tmpdir(), 'harbormaster-test-'));
  const started: ManagedProcess[] = [];
  globalThis.harbormasterTestProcesses = started;

  const docker = await ensureDockerEngine(workDir);
  if (docker.process) started.push(docker.process);
  const [redis, registry, authRegistry, helmBin, nodeBaseImage] = await Promise.all([
    startRedisServer(workDir),
    startRegistry(workDir, { auth: false }),
    startRegistry(workDir, { auth: true }),
    ensureHelmBinary(),
    ensureNodeBaseImage(dockerFromHost(docker.host)),
  ]);
  started.push(redis.process, registry.process, authRegistry.process);
  if (!authRegistry.credentials) throw new Error('the auth registry started without credentials');

  const env: TestEnv = {
    workDir,
    redisUrl: redis.url,
    dockerHost: docker.host,
    registry: { address: registry.address },
    authRegistry: { address: authRegistry.address, ...authRegistry.credentials },
    helmBin,
    nodeBaseImage,
  };
  const envFile = join(workDir, 'test-env.json');
  writeFileSync(envFile, JSON.stringify(env, null, 2));
  process.env[TEST_ENV_FILE_VARIABLE] = envFile;
}
