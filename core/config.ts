import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Catalog, RegistryConfig } from './domain/catalog.js';
import type { GitCredentials } from './domain/git-access.js';
import type { ChatUser } from './domain/chat-address.js';
import { basicAuthPair } from './domain/git-access.js';
import { crossCheck } from './config/catalog-checks.js';
import { catalogSchema, type CatalogFile } from './config/catalog-schema.js';
import { ConfigError, describeFound } from './config/config-error.js';
import { readDockerTls, type DockerTls } from './config/docker-tls.js';
import { envSchema, SECRET_VARIABLES } from './config/env-schema.js';
import { resolveCatalog } from './config/resolve-catalog.js';
import { parseYamlFile } from './config/yaml-file.js';
import { problemsFromZod } from './config/zod-problems.js';

export { ConfigError, type ConfigProblem } from './config/config-error.js';

export interface SlackConfig {
  botToken: string;
  signingSecret?: string;
  appToken?: string;
  apiUrl?: string;
}

/** The local web console: a chat surface served by the bot on its port. */
export interface ConsoleConfig {
  /** The address it listens on when the bot serves no Slack events (127.0.0.1 by default). */
  host: string;
  /** HARBORMASTER_CONSOLE_TOKEN: what a browser must show when the console is not on loopback. */
  token?: string;
  /** The person at the console, as the catalog's deployers name them. */
  user: ChatUser;
}

export interface Config {
  /** Absent when no Slack token is set: then the console is the chat surface. */
  slack?: SlackConfig;
  /** Present when the console is on: with no Slack token, or HARBORMASTER_CONSOLE=on. */
  console?: ConsoleConfig;
  http: { port: number };
  /**
   * REDIS_URL: one server, Sentinel (`redis+sentinel://`) or Cluster (`redis+cluster://`);
   * tlsCaFile: the CA that signed a rediss:// server's certificate, when not a public one.
   */
  redis: { url: string; tlsCaFile?: string };
  /** The HMAC key deploy jobs are signed with: the worker runs only jobs the bot signed. */
  jobs: { key: string };
  /** prefix: BullMQ's key prefix; on Redis Cluster it carries a hash tag, e.g. `{harbormaster}`. */
  queue: { name: string; prefix: string };
  /** The brakes: how long the audit log keeps entries, how many deploys the history keeps. */
  brakes: { auditRetentionMs: number; historyKeep: number; lockReminderMs: number };
  /** lockDurationMs: how soon another worker resumes the deploys of a worker that died. */
  worker: { concurrency: number; lockDurationMs: number; port: number };
  /** The read-only queue dashboard (bull-board) the worker serves: off unless a port is set. */
  queueDashboard?: { port: number; username: string; password: string };
  kube: { kubeconfig?: string };
  /** testNetworkMode: the network of a test sandbox that has one (`host` where there is no bridge). */
  docker: { host?: string; buildNetworkMode?: string; testNetworkMode?: string; tls?: DockerTls };
  /** The token for private git repositories over https. */
  git: { credentials?: GitCredentials };
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

type EnvVars = ReturnType<typeof readEnvironment>;

function slackOf(vars: EnvVars): SlackConfig | undefined {
  if (vars.SLACK_BOT_TOKEN === undefined) return undefined;
  return {
    botToken: vars.SLACK_BOT_TOKEN,
    ...(vars.SLACK_SIGNING_SECRET ? { signingSecret: vars.SLACK_SIGNING_SECRET } : {}),
    ...(vars.SLACK_APP_TOKEN ? { appToken: vars.SLACK_APP_TOKEN } : {}),
    ...(vars.SLACK_API_URL ? { apiUrl: vars.SLACK_API_URL } : {}),
  };
}

/** On with no Slack token, unless turned off; with a Slack token only when turned on. */
function consoleOf(vars: EnvVars): ConsoleConfig | undefined {
  const mode = vars.HARBORMASTER_CONSOLE;
  const on = mode === 'on' || (mode === 'auto' && vars.SLACK_BOT_TOKEN === undefined);
  if (!on) return undefined;
  return {
    host: vars.HARBORMASTER_CONSOLE_HOST,
    ...(vars.HARBORMASTER_CONSOLE_TOKEN ? { token: vars.HARBORMASTER_CONSOLE_TOKEN } : {}),
    user: { id: vars.HARBORMASTER_CONSOLE_USER_ID, name: vars.HARBORMASTER_CONSOLE_USER },
  };
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

/** The brakes' settings, in milliseconds. */
function brakesOf(vars: ReturnType<typeof readEnvironment>): Config['brakes'] {
  return {
    auditRetentionMs: vars.AUDIT_RETENTION_DAYS * 24 * 3600 * 1000,
    historyKeep: vars.HISTORY_KEEP,
    lockReminderMs: vars.LOCK_REMINDER_MINUTES * 60 * 1000,
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

  const dockerTls = readDockerTls(vars);
  const credentials =
    vars.REGISTRY_USERNAME !== undefined && vars.REGISTRY_PASSWORD !== undefined
      ? { username: vars.REGISTRY_USERNAME, password: vars.REGISTRY_PASSWORD }
      : undefined;
  const slack = slackOf(vars);
  const consoleConfig = consoleOf(vars);
  return {
    ...(slack ? { slack } : {}),
    ...(consoleConfig ? { console: consoleConfig } : {}),
    http: { port: vars.PORT },
    redis: redisOf(vars),
    jobs: { key: vars.HARBORMASTER_JOB_KEY },
    queue: { name: vars.HARBORMASTER_QUEUE, prefix: vars.HARBORMASTER_QUEUE_PREFIX },
    brakes: brakesOf(vars),
    worker: {
      concurrency: vars.WORKER_CONCURRENCY,
      lockDurationMs: vars.WORKER_LOCK_DURATION_MS,
      port: vars.WORKER_PORT,
    },
    ...(vars.QUEUE_DASHBOARD_PORT !== undefined && vars.QUEUE_DASHBOARD_PASSWORD !== undefined
      ? {
          queueDashboard: {
            port: vars.QUEUE_DASHBOARD_PORT,
            username: vars.QUEUE_DASHBOARD_USERNAME,
            password: vars.QUEUE_DASHBOARD_PASSWORD,
          },
        }
      : {}),
    kube: vars.KUBECONFIG ? { kubeconfig: vars.KUBECONFIG } : {},
    docker: {
      ...(vars.DOCKER_HOST ? { host: vars.DOCKER_HOST } : {}),
      ...(vars.DOCKER_BUILD_NETWORK ? { buildNetworkMode: vars.DOCKER_BUILD_NETWORK } : {}),
      ...(vars.DOCKER_TEST_NETWORK ? { testNetworkMode: vars.DOCKER_TEST_NETWORK } : {}),
      ...(dockerTls ? { tls: dockerTls } : {}),
    },
    git: vars.GIT_TOKEN
      ? { credentials: { username: vars.GIT_USERNAME, token: vars.GIT_TOKEN } }
      : {},
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

function redisOf(vars: EnvVars): Config['redis'] {
  return {
    url: vars.REDIS_URL,
    ...(vars.REDIS_TLS_CA_FILE ? { tlsCaFile: vars.REDIS_TLS_CA_FILE } : {}),
  };
}

/** The passwords in a Redis URL (the server's, and a sentinel's in `?sentinelPassword=`), decoded. */
function redisPasswords(url: string): string[] {
  const userInfo = /^[a-z+]+:\/\/([^@/]*)@/.exec(url)?.[1];
  const colon = userInfo?.indexOf(':') ?? -1;
  const sentinel = /[?&]sentinelPassword=([^&#]*)/.exec(url)?.[1];
  return [colon === -1 ? undefined : userInfo?.slice(colon + 1), sentinel]
    .filter((password): password is string => password !== undefined && password !== '')
    .map((password) => {
      try {
        return decodeURIComponent(password);
      } catch {
        return password;
      }
    });
}

/**
 * Every secret the configuration holds, for the scrubber: Slack's tokens and signing secret,
 * the registry's password (and its `user:password`, as Basic auth and docker config carry it),
 * Redis's passwords, the job key, the console's token, the queue dashboard's password and the git
 * token (and its Basic `user:token`).
 */
export function configSecrets(config: Config): string[] {
  const credentials = config.registry.credentials;
  return [
    config.slack?.botToken,
    config.slack?.signingSecret,
    config.slack?.appToken,
    credentials?.password,
    credentials ? `${credentials.username}:${credentials.password}` : undefined,
    ...redisPasswords(config.redis.url),
    config.jobs.key,
    config.console?.token,
    config.queueDashboard?.password,
    config.git.credentials?.token,
    config.git.credentials ? basicAuthPair(config.git.credentials) : undefined,
  ].filter((secret): secret is string => secret !== undefined && secret !== '');
}
