import { LogLevel, type Logger as SlackLogger } from '@slack/web-api';
import type { Logger } from '../../logger.js';

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
  const text = (parts: unknown[]) =>
    parts.map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(' ');
  return {
    debug: (...parts) => child?.debug(text(parts)),
    info: (...parts) => child?.info(text(parts)),
    warn: (...parts) => child?.warn(text(parts)),
    error: (...parts) => child?.error(text(parts)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: (name) => {
      child = logger?.child({ component: name });
    },
  };
}
