import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CatalogFile } from './catalog-schema.js';
import { fromCatalog } from './catalog-paths.js';
import { describeFound, type ConfigProblem } from './config-error.js';
import { serviceProblems } from './service-checks.js';

type ServiceEntry = CatalogFile['services'][string];

const isDirectory = (path: string) => existsSync(path) && statSync(path).isDirectory();

/** The chart, the source directory and its Dockerfile must exist. */
function fileProblems(file: string, name: string, service: ServiceEntry): ConfigProblem[] {
  const key = `services.${name}`;
  const problems: ConfigProblem[] = [];
  const chart = fromCatalog(file, service.chart);
  if (!existsSync(join(chart, 'Chart.yaml'))) {
    problems.push({
      key: `${key}.chart`,
      found: `${describeFound(service.chart)}, but ${chart}/Chart.yaml does not exist`,
      expected: 'a Helm chart directory (one with Chart.yaml), relative to the catalog file',
    });
  }
  if (service.source.path === undefined) return problems;
  const source = fromCatalog(file, service.source.path);
  if (!isDirectory(source)) {
    problems.push({
      key: `${key}.source.path`,
      found: `${describeFound(service.source.path)}, but ${source} is not a directory`,
      expected: "the service's source directory, relative to the catalog file",
    });
  } else if (!existsSync(join(source, service.dockerfile))) {
    problems.push({
      key: `${key}.dockerfile`,
      found: `${describeFound(service.dockerfile)}, but ${join(source, service.dockerfile)} does not exist`,
      expected: 'a Dockerfile path relative to the source directory',
    });
  }
  return problems;
}

/** Values are given for environments that exist, in files that exist. */
function valuesProblems(
  file: string,
  name: string,
  service: ServiceEntry,
  environments: readonly string[],
): ConfigProblem[] {
  const key = `services.${name}`;
  return Object.entries(service.values).flatMap(([environment, files]) => [
    ...(environments.includes(environment)
      ? []
      : [
          {
            key: `${key}.values.${environment}`,
            found: `values for ${describeFound(environment)}, which is not under environments`,
            expected: `one of the environments: ${environments.join(', ') || '(none defined)'}`,
          },
        ]),
    ...files.flatMap((valuesFile, index) =>
      existsSync(fromCatalog(file, valuesFile))
        ? []
        : [
            {
              key: `${key}.values.${environment}.${index}`,
              found: `${describeFound(valuesFile)}, which does not exist`,
              expected: 'a Helm values file, relative to the catalog file',
            },
          ],
    ),
  ]);
}

/** What zod cannot see: files that must exist, names that must match, releases that must not clash. */
export function crossCheck(file: string, catalog: CatalogFile): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const environments = Object.keys(catalog.environments);
  const releases = new Map<string, string>();
  for (const [name, service] of Object.entries(catalog.services)) {
    problems.push(...fileProblems(file, name, service));
    problems.push(...valuesProblems(file, name, service, environments));
    problems.push(...serviceProblems(file, name, service));
    const release = service.release ?? name;
    const owner = releases.get(release);
    if (owner !== undefined) {
      problems.push({
        key: `services.${name}.release`,
        found: `release ${describeFound(release)}, which services.${owner} already uses`,
        expected: 'a release name no other service uses (set release: to tell them apart)',
      });
    }
    releases.set(release, name);
  }
  return problems;
}
