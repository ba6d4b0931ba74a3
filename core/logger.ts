import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Field names whose values are secrets wherever they appear, at the top level or one object down.
 * Free text (a program's output) is scrubbed separately, by value, before it is logged.
 */
const SECRET_FIELDS = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'password',
  'authorization',
  'Authorization',
  'credentials',
  'auth',
];

export const REDACTED_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((field) => `*.${field}`),
  ...SECRET_FIELDS.map((field) => `*.*.${field}`),
  'headers["x-slack-signature"]',
  '*.headers["x-slack-signature"]',
  // What Bolt and the Web API client log, kept as objects by the Slack logger bridge.
  ...SECRET_FIELDS.map((field) => `details[*].${field}`),
  ...SECRET_FIELDS.map((field) => `details[*].*.${field}`),
  ...SECRET_FIELDS.map((field) => `details[*].*.*.${field}`),
  'details[*].headers["x-slack-signature"]',
];

export interface LoggerOptions {
  level: string;
  name: string;
  /** Where lines go; standard output when absent. Tests pass a stream to read what was logged. */
  destination?: DestinationStream;
}

/** Structured JSON logs: fixed message text plus fields, secrets redacted by path. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      name: options.name,
      level: options.level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    options.destination,
  );
}
