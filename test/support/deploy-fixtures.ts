import type { Catalog, EnvironmentConfig, ServiceConfig } from '../../core/domain/catalog.js';
import type { DeployRequest } from '../../core/domain/deploy-request.js';
import type { EnqueueLimits, EnqueueOptions } from '../../core/ports/deploy-queue.js';
import { MIB, type TestGateConfig } from '../../core/domain/test-gate.js';

/** A deploy request as the bot queues it: alice deploys hello-world@main to staging. */
export function deployRequest(overrides: Partial<DeployRequest> = {}): DeployRequest {
  return {
    id: 'deploy-1',
    service: 'hello-world',
    ref: 'main',
    environment: 'staging',
    origin: { channel: 'C0DEPLOYS', user: { id: 'U0ALICE', name: 'alice' } },
    requestedAt: '2026-11-24T12:00:00.000Z',
    ...overrides,
  };
}

/** A staging environment anyone may deploy to. */
export const STAGING: EnvironmentConfig = {
  name: 'staging',
  namespace: 'staging',
  deployers: { users: [], userGroups: [], everyone: true },
  refs: ['*'],
  allowCommits: false,
};

/** Production as the unit tests have it: the S0RELEASE user group deploys there. */
export const PRODUCTION: EnvironmentConfig = {
  name: 'production',
  namespace: 'production',
  deployers: { users: [], userGroups: ['S0RELEASE'], everyone: false },
  refs: ['*'],
  allowCommits: false,
};

/** A test gate as the catalog resolves it: the Dockerfile's `test` stage, default limits. */
export function testGate(overrides: Partial<TestGateConfig> = {}): TestGateConfig {
  return {
    runsIn: { kind: 'target', target: 'test' },
    command: ['npm', 'test'],
    timeoutMs: 600_000,
    network: 'default',
    env: {},
    limits: { memoryBytes: 2048 * MIB, cpus: 1, pids: 512, tmpBytes: 512 * MIB },
    ...overrides,
  };
}

/** hello-world as a catalog entry: a local directory, `npm test`, its chart. Paths are not read. */
export function serviceConfig(overrides: Partial<ServiceConfig> = {}): ServiceConfig {
  return {
    name: 'hello-world',
    source: { kind: 'path', path: '/srv/hello-world' },
    defaultRef: 'main',
    test: testGate(),
    dockerfile: 'Dockerfile',
    buildArgs: {},
    chartPath: '/srv/charts/hello-world',
    release: overrides.name ?? 'hello-world',
    valuesFiles: {},
    ...overrides,
  };
}

/** A catalog of hello-world in staging, as loadConfig would answer it. */
export function catalog(overrides: Partial<Catalog> = {}): Catalog {
  return {
    file: '/srv/harbormaster.yaml',
    environments: { staging: STAGING },
    services: { 'hello-world': serviceConfig() },
    ...overrides,
  };
}

/** What the bot gives the queue with each request: generous limits, a 5 s deadline. */
export function enqueueOptions(limits: Partial<EnqueueLimits> = {}): EnqueueOptions {
  return {
    limits: {
      release: 'staging/hello-world',
      maxQueuedPerRelease: 100,
      maxPerPersonPerMinute: 100,
      ...limits,
    },
    deadlineMs: 5000,
  };
}
