import { LogLevel, type Logger as SlackLogger } from '@slack/web-api';
import type { Logger } from '../../logger.js';

/**
 * One of Bolt's log calls as a structured entry: its strings are the message; an Error goes to
 * `err`; any other value to `details`, kept as objects (not stringified) so that the logger's
 * redaction by path sees their tokens and headers.
 */
function entry(parts: unknown[]): [Record<string, unknown>, string] {
  const words: string[] = [];
  const details: unknown[] = [];
  let err: unknown;
  for (const part of parts) {
    if (typeof part === 'string') words.push(part);
    else if (part instanceof Error && err === undefined) err = part;
    else details.push(part);
  }
  const fields = {
    ...(err === undefined ? {} : { err }),
    ...(details.length === 0 ? {} : { details }),
  };
  return [fields, words.join(' ')];
}

/**
 * Bolt's and the Web API client's own log lines, through the product's structured logger, under
 * `component` (which Bolt renames with setName).
 */
export function slackLogger(
  logger: Logger | undefined,
  options: { component: string; level: LogLevel },
): SlackLogger {
  let level = options.level;
  let child = logger?.child({ component: options.component });
  return {
    debug: (...parts) => child?.debug(...entry(parts)),
    info: (...parts) => child?.info(...entry(parts)),
    warn: (...parts) => child?.warn(...entry(parts)),
    error: (...parts) => child?.error(...entry(parts)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: (name) => {
      child = logger?.child({ component: name });
    },
  };
}
