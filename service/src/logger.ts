import { pino, type DestinationStream, type Logger } from 'pino';
import type { ServiceConfig } from './config.js';

export type { Logger } from 'pino';

/** JSON lines on stdout (or `destination`): fixed messages, details as fields. */
export function createLogger(
  config: Pick<ServiceConfig, 'name' | 'version' | 'logLevel'>,
  destination?: DestinationStream,
): Logger {
  const options = {
    level: config.logLevel,
    base: { service: config.name, version: config.version },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}
