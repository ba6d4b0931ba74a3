import type { Catalog, ServiceConfig } from '../domain/catalog.js';
import { MIB, type TestGateConfig } from '../domain/test-gate.js';
import type { CatalogFile } from './catalog-schema.js';
import { fromCatalog } from './catalog-paths.js';

function resolveTestGate(test: CatalogFile['services'][string]['test']): TestGateConfig {
  const { limits } = test;
  return {
    runsIn:
      test.image === undefined
        ? { kind: 'target', target: test.target ?? 'test' }
        : { kind: 'image', image: test.image },
    ...(test.install ? { install: test.install } : {}),
    command: test.command,
    timeoutMs: test.timeoutSeconds * 1000,
    network: test.network,
    env: test.env,
    limits: {
      memoryBytes: limits.memoryMiB * MIB,
      cpus: limits.cpus,
      pids: limits.pids,
      tmpBytes: limits.tmpMiB * MIB,
    },
  };
}

function resolveService(
  file: string,
  name: string,
  service: CatalogFile['services'][string],
): ServiceConfig {
  return {
    name,
    source:
      service.source.git !== undefined
        ? { kind: 'git', url: service.source.git }
        : { kind: 'path', path: fromCatalog(file, service.source.path ?? '.') },
    defaultRef: service.source.defaultRef,
    test: resolveTestGate(service.test),
    dockerfile: service.dockerfile,
    buildArgs: service.buildArgs,
    chartPath: fromCatalog(file, service.chart),
    release: service.release ?? name,
    valuesFiles: Object.fromEntries(
      Object.entries(service.values).map(([environment, files]) => [
        environment,
        files.map((valuesFile) => fromCatalog(file, valuesFile)),
      ]),
    ),
  };
}

/** The checked catalog file as the product's model: names filled in, paths made absolute. */
export function resolveCatalog(file: string, catalog: CatalogFile): Catalog {
  const environments = Object.fromEntries(
    Object.entries(catalog.environments).map(([name, environment]) => [
      name,
      { name, ...environment },
    ]),
  );
  const services = Object.fromEntries(
    Object.entries(catalog.services).map(([name, service]) => [
      name,
      resolveService(file, name, service),
    ]),
  );
  return {
    file,
    environments,
    services,
    ...(catalog.notifications ? { notifications: catalog.notifications } : {}),
  };
}
