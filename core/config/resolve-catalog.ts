import type { Catalog, ServiceConfig } from '../domain/catalog.js';
import type { CatalogFile } from './catalog-schema.js';
import { fromCatalog } from './catalog-paths.js';

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
    test: {
      ...(service.test.install ? { install: service.test.install } : {}),
      command: service.test.command,
      timeoutMs: service.test.timeoutSeconds * 1000,
    },
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
    Object.entries(catalog.environments).map(([name, { viewers, ...environment }]) => [
      name,
      { name, ...environment, ...(viewers === undefined ? {} : { viewers }) },
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
    limits: catalog.limits,
    access: catalog.access,
  };
}
