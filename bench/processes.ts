import { join } from 'node:path';
import { freePort } from '../test/support/free-port.js';
import { startProcess, type ManagedProcess } from '../test/support/managed-process.js';
import { repoRoot } from '../test/support/paths.js';
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
): Promise<RunningProcess> {
  const port = await freePort();
  const started = await startProcess({
    name,
    command: process.execPath,
    args: ['--import', 'tsx', join(repoRoot, entry)],
    cwd: repoRoot,
    env: { ...env, [portVariable]: String(port) },
    logFile: join(logDir, `${name}.log`),
    ready: async () => (await fetch(`http://127.0.0.1:${String(port)}/readyz`)).ok,
    timeoutMs: 60_000,
  });
  return { process: started, port };
}
