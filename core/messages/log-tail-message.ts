import type { StageName } from '../domain/stages.js';
import { STAGE_TITLES } from '../domain/stages.js';
import { MESSAGE_LIMITS, markupLength, truncate, type ChatMessage } from '../ports/chat-message.js';
import { bold, code, preformatted, section, text } from './inline.js';

/** A log too long for the thread goes as a file; this is how much of it (the end) is kept. */
export const LOG_FILE_MAX_CHARS = 1_000_000;

export interface LogTail {
  /** The thread reply: the last lines of the log in a code block, within one section. */
  message: ChatMessage;
  /** The whole log (up to LOG_FILE_MAX_CHARS, its end), when the reply could not hold it. */
  file?: { filename: string; title: string; content: string };
}

/** The last lines of a log that fit in `budget` rendered characters, each line cut at 500. */
function lastLines(lines: readonly string[], budget: number): string[] {
  const kept: string[] = [];
  let used = 0;
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    const line = truncate(lines[index] ?? '', 500);
    const length = markupLength(line);
    if (used + length + 1 > budget) break;
    kept.unshift(line);
    used += length + 1;
  }
  return kept;
}

/**
 * The thread reply under a failed deploy: the end of the failing stage's log, in a code block
 * within Slack's 3,000 characters, and the whole log as a file (`hello-world-test.log`) when
 * it does not fit.
 */
export function logTailMessage(input: { service: string; stage: StageName; log: string }): LogTail {
  const filename = `${input.service}-${input.stage}.log`;
  const lines = input.log.replace(/\s+$/, '').split('\n');
  const title = STAGE_TITLES[input.stage];
  const kept = lastLines(lines, MESSAGE_LIMITS.sectionText - 200);
  const whole = kept.length === lines.length && !lines.some((line) => line.length > 500);
  const empty = input.log.trim() === '';
  const heading = empty
    ? [bold(title), text(' wrote nothing to its log.')]
    : whole
      ? [bold(title), text(' log:')]
      : [
          text(`Last ${kept.length} of ${lines.length} lines of the `),
          bold(title),
          text(' log; the whole log is in '),
          code(filename),
          text(':'),
        ];
  const body = empty ? heading : [...heading, text('\n'), preformatted(kept.join('\n'))];
  const message: ChatMessage = {
    summary: [text(`${title} log of ${input.service}`)],
    blocks: [section(...body)],
  };
  if (whole || empty) return { message };
  const content =
    input.log.length > LOG_FILE_MAX_CHARS
      ? `…(first ${input.log.length - LOG_FILE_MAX_CHARS} characters left out)\n${input.log.slice(-LOG_FILE_MAX_CHARS)}`
      : input.log;
  return { message, file: { filename, title: `${title} log of ${input.service}`, content } };
}
