import { cpSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { freePort } from '../test/support/free-port.js';
import { startProcess, type ManagedProcess } from '../test/support/managed-process.js';
import { repoRoot } from '../test/support/paths.js';
import { TEST_JOB_KEY } from '../test/support/job-key.js';
import { testEnv } from '../test/support/test-env.js';

/** The environment the bot and worker read, as process-harness.ts sets it for the e2e tests. */
export function productEnv(input: {
  catalogFile: string;
  kubeconfigPath: string;
  queueName: string;
  slack?: { botToken: string; signingSecret: string; apiUrl: string };
}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    REDIS_URL: testEnv().redisUrl,
    HARBORMASTER_QUEUE: input.queueName,
    HARBORMASTER_JOB_KEY: TEST_JOB_KEY,
    HARBORMASTER_CONFIG: input.catalogFile,
    KUBECONFIG: input.kubeconfigPath,
    HELM_BIN: testEnv().helmBin,
    DOCKER_HOST: testEnv().dockerHost,
    DOCKER_BUILD_NETWORK: 'host',
    REGISTRY_USERNAME: 'unused',
    REGISTRY_PASSWORD: testEnv().authRegistry.password,
    LOG_LEVEL: 'warn',
    ...(input.slack
      ? {
          SLACK_BOT_TOKEN: input.slack.botToken,
          SLACK_SIGNING_SECRET: input.slack.signingSecret,
          SLACK_API_URL: input.slack.apiUrl,
        }
      : {}),
  };
}

/**
 * The NODE_OPTIONS Harbormaster's image sets (its Dockerfile's `ENV NODE_OPTIONS=…`): the shipped
 * processes run with them, as in the image.
 */
export function imageNodeOptions(dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8')) {
  const line = /^ENV NODE_OPTIONS="([^"]*)"$/m.exec(dockerfile);
  if (line?.[1] === undefined) throw new Error('the Dockerfile sets no ENV NODE_OPTIONS="…"');
  return line[1];
}

export interface RunningProcess {
  process: ManagedProcess;
  port: number;
}

/** A TypeScript entry point (bot/main.ts, worker/main.ts, bench/…) as its own process, until /readyz answers. */
export async function spawnTs(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  logDir: string,
  portVariable: string,
  /** Run the JavaScript buildAsShipped() made in this folder, instead of the TypeScript by tsx, with the image's NODE_OPTIONS. */
  shipped?: string,
): Promise<RunningProcess> {
  const port = await freePort();
  const started = await startProcess({
    name,
    command: process.execPath,
    args:
      shipped === undefined
        ? ['--import', 'tsx', join(repoRoot, entry)]
        : [join(shipped, entry.replace(/\.ts$/, '.js'))],
    cwd: repoRoot,
    env: {
      ...env,
      ...(shipped === undefined ? {} : { NODE_OPTIONS: imageNodeOptions() }),
      [portVariable]: String(port),
    },
    logFile: join(logDir, `${name}.log`),
    ready: async () => (await fetch(`http://127.0.0.1:${String(port)}/readyz`)).ok,
    timeoutMs: 60_000,
  });
  return { process: started, port };
}

/** Deploys each instant worker runs at once (WORKER_CONCURRENCY). */
export const INSTANT_CONCURRENCY = 8;

/**
 * `count` bench/instant-worker.ts processes as shipped, on the queue `env` names: the deploys'
 * external steps instant, and the channel message's pacing off (a wait for Slack, not work).
 */
export function spawnInstantWorkers(
  env: NodeJS.ProcessEnv,
  logDir: string,
  shipped: string,
  count: number,
): Promise<RunningProcess[]> {
  const workerEnv = {
    ...env,
    WORKER_CONCURRENCY: String(INSTANT_CONCURRENCY),
    BENCH_PROGRESS_INTERVAL_MS: '0',
  };
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      spawnTs(
        `instant-worker-${String(i + 1)}`,
        'bench/instant-worker.ts',
        workerEnv,
        logDir,
        'WORKER_PORT',
        shipped,
      ),
    ),
  );
}

/**
 * The bot and worker as Harbormaster's image ships them (see the Dockerfile): core, bot and
 * worker (and the bench's instant worker) turned into JavaScript file by file with esbuild, run
 * by plain node. Under the
 * repository's node_modules, so that their imports resolve as in the image. Returns the folder.
 */
export async function buildAsShipped(): Promise<string> {
  const out = join(repoRoot, 'node_modules', '.cache', 'harbormaster', 'bench-dist');
  rmSync(out, { recursive: true, force: true });
  const sources = readdirSync(repoRoot, { recursive: true, encoding: 'utf8' }).filter(
    (path) => /^(core\/|bot\/|worker\/|bench\/instant-)/.test(path) && path.endsWith('.ts'),
  );
  await execa(
    join(repoRoot, 'node_modules', '.bin', 'esbuild'),
    [
      ...sources,
      `--outdir=${out}`,
      '--outbase=.',
      '--format=esm',
      '--platform=node',
      '--target=node20',
      '--log-level=warning',
    ],
    { cwd: repoRoot },
  );
  cpSync(join(repoRoot, 'bot', 'console', 'assets'), join(out, 'bot', 'console', 'assets'), {
    recursive: true,
  });
  return out;
}
