import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { catalogSchema, type CatalogFile } from './config/catalog-schema.js';
import { ConfigError, describeFound, type ConfigProblem } from './config/config-error.js';
import { envSchema, SECRET_VARIABLES } from './config/env-schema.js';
import { parseYamlFile } from './config/yaml-file.js';
import { problemsFromZod } from './config/zod-problems.js';

export { ConfigError, type ConfigProblem } from './config/config-error.js';

export interface RegistryConfig {
  host: string;
  repositoryPrefix?: string;
  credentials?: { username: string; password: string };
}

export interface EnvironmentConfig {
  name: string;
  namespace: string;
  kubeContext?: string;
  deployers: { users: string[]; userGroups: string[]; everyone: boolean };
}

export type ServiceSource = { kind: 'path'; path: string } | { kind: 'git'; url: string };

export interface ServiceConfig {
  name: string;
  source: ServiceSource;
  defaultRef: string;
  test: { install?: string[]; command: string[]; timeoutMs: number };
  /** Relative to the source directory. */
  dockerfile: string;
  buildArgs: Record<string, string>;
  chartPath: string;
  release: string;
  /** Absolute values-file paths per environment name. */
  valuesFiles: Record<string, string[]>;
}

export interface NotificationsConfig {
  failureChannel: string;
  mention: { users: string[]; userGroups: string[] };
}

export interface Catalog {
  file: string;
  environments: Record<string, EnvironmentConfig>;
  services: Record<string, ServiceConfig>;
  notifications?: NotificationsConfig;
}

export interface Config {
  slack: { botToken: string; signingSecret?: string; appToken?: string; apiUrl?: string };
  http: { port: number };
  redis: { url: string };
  queue: { name: string };
  /** lockDurationMs: how soon another worker resumes the deploys of a worker that died. */
  worker: { concurrency: number; lockDurationMs: number };
  kube: { kubeconfig?: string };
  docker: { host?: string; buildNetworkMode?: string };
  helm: { bin: string };
  registry: RegistryConfig;
  logLevel: string;
  /**
   * The only environment the programs a deploy runs (git, the test gate) get: never the
   * worker's own, which holds its tokens.
   */
  programEnv: Record<string, string>;
  catalog: Catalog;
}

type Env = Record<string, string | undefined>;

function readEnvironment(env: Env) {
  const parsed = envSchema.safeParse(env, { reportInput: true });
  if (parsed.success) return parsed.data;
  const problems = problemsFromZod(envSchema, env, parsed.error.issues).map((problem) =>
    SECRET_VARIABLES.has(problem.key) && env[problem.key] !== undefined
      ? { ...problem, found: 'a value that is not accepted (hidden: it is a secret)' }
      : problem,
  );
  throw new ConfigError('the environment', problems);
}

function readCatalogFile(file: string): CatalogFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new ConfigError(file, [
      {
        key: 'HARBORMASTER_CONFIG',
        found: `${describeFound(file)} (${reason})`,
        expected: 'the path of the service catalog, harbormaster.yaml',
      },
    ]);
  }
  const yaml = parseYamlFile(text);
  if (!yaml.ok) throw new ConfigError(file, yaml.problems);
  const parsed = catalogSchema.safeParse(yaml.data ?? {}, { reportInput: true });
  if (!parsed.success) {
    throw new ConfigError(file, problemsFromZod(catalogSchema, yaml.data, parsed.error.issues));
  }
  return parsed.data;
}

/** Paths in the catalog are relative to the catalog file. */
function fromCatalog(file: string, path: string): string {
  return isAbsolute(path) ? path : resolve(dirname(file), path);
}

const isDirectory = (path: string) => existsSync(path) && statSync(path).isDirectory();

/** What zod cannot see: files that must exist, names that must match, releases that must not clash. */
function crossCheck(file: string, catalog: CatalogFile): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const environments = Object.keys(catalog.environments);
  const releases = new Map<string, string>();

  for (const [name, service] of Object.entries(catalog.services)) {
    const key = `services.${name}`;
    const chart = fromCatalog(file, service.chart);
    if (!existsSync(join(chart, 'Chart.yaml'))) {
      problems.push({
        key: `${key}.chart`,
        found: `${describeFound(service.chart)}, but ${chart}/Chart.yaml does not exist`,
        expected: 'a Helm chart directory (one with Chart.yaml), relative to the catalog file',
      });
    }
    if (service.source.path !== undefined) {
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
    }
    for (const [environment, files] of Object.entries(service.values)) {
      if (!environments.includes(environment)) {
        problems.push({
          key: `${key}.values.${environment}`,
          found: `values for ${describeFound(environment)}, which is not under environments`,
          expected: `one of the environments: ${environments.join(', ') || '(none defined)'}`,
        });
      }
      files.forEach((valuesFile, index) => {
        if (!existsSync(fromCatalog(file, valuesFile))) {
          problems.push({
            key: `${key}.values.${environment}.${index}`,
            found: `${describeFound(valuesFile)}, which does not exist`,
            expected: 'a Helm values file, relative to the catalog file',
          });
        }
      });
    }
    const release = service.release ?? name;
    const owner = releases.get(release);
    if (owner !== undefined) {
      problems.push({
        key: `${key}.release`,
        found: `release ${describeFound(release)}, which services.${owner} already uses`,
        expected: 'a release name no other service uses (set release: to tell them apart)',
      });
    }
    releases.set(release, name);
  }
  return problems;
}

function resolveCatalog(file: string, catalog: CatalogFile): Catalog {
  const environments = Object.fromEntries(
    Object.entries(catalog.environments).map(([name, environment]) => [
      name,
      { name, ...environment },
    ]),
  );
  const services = Object.fromEntries(
    Object.entries(catalog.services).map(([name, service]): [string, ServiceConfig] => [
      name,
      {
        name,
        source:
          service.source.git !== undefined
            ? { kind: 'git', url: service.source.git ?? '' }
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
      },
    ]),
  );
  return {
    file,
    environments,
    services,
    ...(catalog.notifications ? { notifications: catalog.notifications } : {}),
  };
}

/**
 * Reads the environment and the service catalog once, at start-up. Any mistake stops the process
 * with a ConfigError whose message names the file, the key, what was found and what is expected.
 */
export function loadConfig(env: Env = process.env): Config {
  const vars = readEnvironment(env);
  const file = resolve(vars.HARBORMASTER_CONFIG);
  const catalogFile = readCatalogFile(file);
  const problems = crossCheck(file, catalogFile);
  if (problems.length > 0) throw new ConfigError(file, problems);

  const credentials =
    vars.REGISTRY_USERNAME !== undefined && vars.REGISTRY_PASSWORD !== undefined
      ? { username: vars.REGISTRY_USERNAME, password: vars.REGISTRY_PASSWORD }
      : undefined;
  return {
    slack: {
      botToken: vars.SLACK_BOT_TOKEN,
      ...(vars.SLACK_SIGNING_SECRET ? { signingSecret: vars.SLACK_SIGNING_SECRET } : {}),
      ...(vars.SLACK_APP_TOKEN ? { appToken: vars.SLACK_APP_TOKEN } : {}),
      ...(vars.SLACK_API_URL ? { apiUrl: vars.SLACK_API_URL } : {}),
    },
    http: { port: vars.PORT },
    redis: { url: vars.REDIS_URL },
    queue: { name: vars.HARBORMASTER_QUEUE },
    worker: { concurrency: vars.WORKER_CONCURRENCY, lockDurationMs: vars.WORKER_LOCK_DURATION_MS },
    kube: vars.KUBECONFIG ? { kubeconfig: vars.KUBECONFIG } : {},
    docker: {
      ...(vars.DOCKER_HOST ? { host: vars.DOCKER_HOST } : {}),
      ...(vars.DOCKER_BUILD_NETWORK ? { buildNetworkMode: vars.DOCKER_BUILD_NETWORK } : {}),
    },
    helm: { bin: vars.HELM_BIN },
    registry: {
      host: catalogFile.registry.host,
      ...(catalogFile.registry.repositoryPrefix
        ? { repositoryPrefix: catalogFile.registry.repositoryPrefix }
        : {}),
      ...(credentials ? { credentials } : {}),
    },
    logLevel: vars.LOG_LEVEL,
    programEnv: { PATH: vars.PATH, ...(vars.HOME ? { HOME: vars.HOME } : {}), CI: 'true' },
    catalog: resolveCatalog(file, catalogFile),
  };
}
