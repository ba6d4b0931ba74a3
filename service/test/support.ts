import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../src/logger.js';

/** A logger whose JSON lines are kept in memory, so a test can read them. */
export function memoryLogger(): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = createLogger(
    { name: 'hello-world', version: '9.9.9', logLevel: 'debug' },
    destination,
  );
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
