import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../core/logger.js';

/** Bolt's and the Web API client's logs, through the product's structured logger. */
export function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  let child = logger.child({ component: 'bolt' });
  const text = (parts: unknown[]) =>
    parts.map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(' ');
  return {
    debug: (...parts) => {
      child.debug(text(parts));
    },
    info: (...parts) => {
      child.info(text(parts));
    },
    warn: (...parts) => {
      child.warn(text(parts));
    },
    error: (...parts) => {
      child.error(text(parts));
    },
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: (name) => {
      child = logger.child({ component: name });
    },
  };
}
