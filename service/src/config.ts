import { readFileSync } from 'node:fs';

/** The only place that reads the environment; everything else gets a ServiceConfig. */
export interface ServiceConfig {
  /** Reported by `GET /` and in every log line. */
  name: string;
  /** Reported by `GET /` and in every log line. */
  version: string;
  /** Address to bind; 0.0.0.0 so a pod is reachable on its IP. */
  host: string;
  /** TCP port; 0 asks the kernel for a free one. */
  port: number;
  logLevel: LogLevel;
  /** How long a shutdown waits for requests in flight before it cuts them off. */
  shutdownTimeoutMs: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const DEFAULT_PORT = 5000;
export const DEFAULT_NAME = 'hello-world';

/** A setting that cannot work; the message names the variable and what it accepts. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The version in the service's own package.json (next to src/ and dist/). */
export function packageVersion(): string {
  const manifest = JSON.parse(
    readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
  ) as unknown;
  if (
    typeof manifest === 'object' &&
    manifest !== null &&
    'version' in manifest &&
    typeof manifest.version === 'string'
  ) {
    return manifest.version;
  }
  throw new ConfigError('service/package.json has no "version" string');
}

function setting(env: NodeJS.ProcessEnv, key: string): string | undefined {
  const value = env[key]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: NodeJS.ProcessEnv, key: string, fallback: number, max: number): number {
  const raw = setting(env, key);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > max) {
    throw new ConfigError(`${key} must be a whole number from 0 to ${max}; got "${raw}"`);
  }
  return Number(raw);
}

function logLevel(env: NodeJS.ProcessEnv): LogLevel {
  const raw = setting(env, 'LOG_LEVEL')?.toLowerCase() ?? 'info';
  const level = LOG_LEVELS.find((candidate) => candidate === raw);
  if (level === undefined) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got "${raw}"`);
  }
  return level;
}

/**
 * Reads PORT (default 5000), HOST (default 0.0.0.0), SERVICE_NAME (default hello-world),
 * SERVICE_VERSION (default: package.json's version), LOG_LEVEL (default info) and
 * SHUTDOWN_TIMEOUT_MS (default 10000). Throws ConfigError on a value that cannot work.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  defaultVersion: () => string = packageVersion,
): ServiceConfig {
  return {
    name: setting(env, 'SERVICE_NAME') ?? DEFAULT_NAME,
    version: setting(env, 'SERVICE_VERSION') ?? defaultVersion(),
    host: setting(env, 'HOST') ?? '0.0.0.0',
    port: integer(env, 'PORT', DEFAULT_PORT, 65_535),
    logLevel: logLevel(env),
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 600_000),
  };
}
