import { z } from 'zod';
import { slackUserId } from '../domain/names.js';

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value));

const port = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((value) => (value === undefined || value === '' ? String(fallback) : value))
    .pipe(z.coerce.number<string>().int('a TCP port number from 1 to 65535').min(1).max(65535));

const JOB_KEY_EXPECTED =
  'a secret of at least 32 characters, the same for bot and worker, that signs deploy jobs (e.g. `openssl rand -hex 32`)';

/** The Redis URL forms ioredis is given (core/adapters/redis-url.ts reads them). */
const REDIS_URL_FORMS =
  /^(rediss?:\/\/.*|rediss?\+sentinel:\/\/[^/?#]+\/[^/?#]+(\/\d+)?\/?(\?.*)?|rediss?\+cluster:\/\/[^/?#]+\/?(\?.*)?)$/;

/** A Redis Cluster key's hash tag: the first {…} with something inside. */
const HASH_TAG = /\{[^}]+\}/;

const BOT_TOKEN = 'a bot token starting with xoxb- (Slack app > OAuth & Permissions)';

/** The local web console's settings (README: "Try it in one minute"). */
const consoleVariables = {
  /** `auto`: on when no Slack token is set. */
  HARBORMASTER_CONSOLE: optionalText
    .transform((value) => value ?? 'auto')
    .pipe(z.enum(['auto', 'on', 'off'], 'auto, on or off')),
  HARBORMASTER_CONSOLE_HOST: optionalText
    .transform((value) => value ?? '127.0.0.1')
    .pipe(
      z
        .string()
        .regex(
          /^(?:[A-Za-z0-9.-]+|[0-9A-Fa-f:]+)$/,
          'an address to listen on, e.g. 127.0.0.1 or 0.0.0.0',
        ),
    ),
  HARBORMASTER_CONSOLE_TOKEN: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9._~-]{16,200}$/, 'at least 16 letters, digits or . _ ~ -')
      .optional(),
  ),
  HARBORMASTER_CONSOLE_USER: optionalText
    .transform((value) => value ?? 'you')
    .pipe(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/, 'a handle such as you or alice')),
  HARBORMASTER_CONSOLE_USER_ID: optionalText
    .transform((value) => value ?? 'U0CONSOLE')
    .pipe(slackUserId),
};

/** The environment variables Harbormaster reads, and nothing else. */
export const envSchema = z
  .object({
    SLACK_BOT_TOKEN: optionalText.pipe(
      z
        .string()
        .regex(/^xoxb-/, BOT_TOKEN)
        .optional(),
    ),
    SLACK_SIGNING_SECRET: optionalText,
    SLACK_APP_TOKEN: optionalText.pipe(
      z
        .string()
        .regex(/^xapp-/, 'an app-level token starting with xapp- (Slack app > Basic Information)')
        .optional(),
    ),
    SLACK_API_URL: optionalText.pipe(z.url('an http(s) URL ending in /api/').optional()),
    PORT: port(3000),
    WORKER_PORT: port(3001),
    REDIS_URL: optionalText
      .transform((value) => value ?? 'redis://127.0.0.1:6379')
      .pipe(
        z
          .string()
          .regex(
            REDIS_URL_FORMS,
            'redis://[:password@]host:port[/db] (or rediss://), redis+sentinel://[:password@]host:port,…/master[/db], or redis+cluster://[:password@]host:port,…',
          ),
      ),
    REDIS_TLS_CA_FILE: optionalText,
    HARBORMASTER_JOB_KEY: optionalText.pipe(z.string(JOB_KEY_EXPECTED).min(32, JOB_KEY_EXPECTED)),
    KUBECONFIG: optionalText,
    DOCKER_HOST: optionalText.pipe(
      z
        .string()
        .regex(/^(unix|tcp|http|https):\/\//, 'unix:///path/to/docker.sock or tcp://host:port')
        .optional(),
    ),
    DOCKER_BUILD_NETWORK: optionalText,
    DOCKER_TEST_NETWORK: optionalText,
    GIT_TOKEN: optionalText,
    GIT_USERNAME: optionalText.transform((value) => value ?? 'x-access-token'),
    DOCKER_TLS_VERIFY: optionalText,
    DOCKER_CERT_PATH: optionalText,
    HELM_BIN: optionalText.transform((value) => value ?? 'helm'),
    REGISTRY_USERNAME: optionalText,
    REGISTRY_PASSWORD: optionalText,
    HARBORMASTER_CONFIG: optionalText.transform((value) => value ?? 'harbormaster.yaml'),
    HARBORMASTER_QUEUE: optionalText.transform((value) => value ?? 'harbormaster-deploys'),
    HARBORMASTER_QUEUE_PREFIX: optionalText
      .transform((value) => value ?? 'bull')
      .pipe(
        z.string().regex(/^[^\s:]+$/, 'a key prefix without spaces or colons, e.g. {harbormaster}'),
      ),
    QUEUE_DASHBOARD_PORT: optionalText.pipe(
      z.coerce
        .number<string>()
        .int('a TCP port number from 1 to 65535')
        .min(1)
        .max(65535)
        .optional(),
    ),
    QUEUE_DASHBOARD_USERNAME: optionalText.transform((value) => value ?? 'harbormaster'),
    QUEUE_DASHBOARD_PASSWORD: optionalText.pipe(
      z.string().min(16, 'a password of at least 16 characters').optional(),
    ),
    WORKER_CONCURRENCY: optionalText
      .transform((value) => value ?? '2')
      .pipe(z.coerce.number<string>().int().min(1, 'a whole number of at least 1').max(64)),
    PATH: optionalText.transform((value) => value ?? '/usr/local/bin:/usr/bin:/bin'),
    HOME: optionalText,
    WORKER_LOCK_DURATION_MS: optionalText
      .transform((value) => value ?? '30000')
      .pipe(z.coerce.number<string>().int().min(1000, 'at least 1000 (milliseconds)')),
    AUDIT_RETENTION_DAYS: optionalText
      .transform((value) => value ?? '90')
      .pipe(z.coerce.number<string>().int().min(1, 'a whole number of days, at least 1')),
    HISTORY_KEEP: optionalText
      .transform((value) => value ?? '100')
      .pipe(z.coerce.number<string>().int().min(10, 'at least 10 (helm keeps 10 revisions)')),
    LOCK_REMINDER_MINUTES: optionalText
      .transform((value) => value ?? '240')
      .pipe(z.coerce.number<string>().int().min(1, 'a whole number of minutes, at least 1')),
    LOG_LEVEL: optionalText
      .transform((value) => value ?? 'info')
      .pipe(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
    ...consoleVariables,
  })
  .superRefine((env, context) => {
    const slackWanted = Boolean(env.SLACK_APP_TOKEN ?? env.SLACK_SIGNING_SECRET);
    if (!env.SLACK_BOT_TOKEN && (slackWanted || env.HARBORMASTER_CONSOLE === 'off')) {
      const consoleOff = !slackWanted;
      context.addIssue({
        code: 'custom',
        path: ['SLACK_BOT_TOKEN'],
        message: consoleOff
          ? `${BOT_TOKEN}, since HARBORMASTER_CONSOLE is off (the local console needs no Slack app)`
          : BOT_TOKEN,
      });
    }
    if (env.SLACK_BOT_TOKEN && !env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
      context.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message:
          'the signing secret (Slack app > Basic Information) for HTTP mode, or SLACK_APP_TOKEN for Socket Mode',
      });
    }
    if (
      /^rediss?\+cluster:/.test(env.REDIS_URL) &&
      !HASH_TAG.test(env.HARBORMASTER_QUEUE_PREFIX) &&
      !HASH_TAG.test(env.HARBORMASTER_QUEUE)
    ) {
      context.addIssue({
        code: 'custom',
        path: ['HARBORMASTER_QUEUE_PREFIX'],
        message:
          'a hash tag on Redis Cluster, e.g. {harbormaster}: every key of a BullMQ queue must hash to one slot',
      });
    }
    if (env.DOCKER_CERT_PATH !== undefined && env.DOCKER_TLS_VERIFY === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['DOCKER_TLS_VERIFY'],
        message:
          '1 with DOCKER_CERT_PATH: Harbormaster talks TLS to a Docker Engine only while verifying it against ca.pem',
      });
    }
    if (env.QUEUE_DASHBOARD_PORT !== undefined && env.QUEUE_DASHBOARD_PASSWORD === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['QUEUE_DASHBOARD_PASSWORD'],
        message:
          'a password with QUEUE_DASHBOARD_PORT: the queue dashboard shows every deploy and is never served without one',
      });
    }
    if ((env.REGISTRY_USERNAME === undefined) !== (env.REGISTRY_PASSWORD === undefined)) {
      context.addIssue({
        code: 'custom',
        path: [env.REGISTRY_USERNAME === undefined ? 'REGISTRY_USERNAME' : 'REGISTRY_PASSWORD'],
        message: 'REGISTRY_USERNAME and REGISTRY_PASSWORD set together, or neither',
      });
    }
  });

export type EnvFile = z.infer<typeof envSchema>;

/** Variables whose values must never be echoed, even in an error about them. */
export const SECRET_VARIABLES = new Set([
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'REGISTRY_PASSWORD',
  'REDIS_URL',
  'HARBORMASTER_JOB_KEY',
  'GIT_TOKEN',
  'QUEUE_DASHBOARD_PASSWORD',
  'HARBORMASTER_CONSOLE_TOKEN',
]);
