import { z } from 'zod';

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

/** The environment variables Harbormaster reads, and nothing else. */
export const envSchema = z
  .object({
    SLACK_BOT_TOKEN: z
      .string('a bot token starting with xoxb- (Slack app > OAuth & Permissions)')
      .regex(/^xoxb-/, 'a bot token starting with xoxb- (Slack app > OAuth & Permissions)'),
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
      .pipe(z.string().regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL')),
    KUBECONFIG: optionalText,
    DOCKER_HOST: optionalText.pipe(
      z
        .string()
        .regex(/^(unix|tcp|http|https):\/\//, 'unix:///path/to/docker.sock or tcp://host:port')
        .optional(),
    ),
    DOCKER_BUILD_NETWORK: optionalText,
    HELM_BIN: optionalText.transform((value) => value ?? 'helm'),
    REGISTRY_USERNAME: optionalText,
    REGISTRY_PASSWORD: optionalText,
    HARBORMASTER_CONFIG: optionalText.transform((value) => value ?? 'harbormaster.yaml'),
    HARBORMASTER_QUEUE: optionalText.transform((value) => value ?? 'harbormaster-deploys'),
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
  })
  .superRefine((env, context) => {
    if (!env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
      context.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message:
          'the signing secret (Slack app > Basic Information) for HTTP mode, or SLACK_APP_TOKEN for Socket Mode',
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
]);
