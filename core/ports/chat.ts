import type { ChatMessage } from './chat-message.js';

/** A message in a conversation: where it is and which one (Slack: channel id and ts). */
export interface ChatMessageRef {
  channel: string;
  id: string;
}

/** A text file shared into a thread, for what is too long to be a message (a whole log). */
export interface ChatTextFile {
  /** e.g. `hello-world-test.log` */
  filename: string;
  content: string;
  /** Shown above the file; the file name when absent. */
  title?: string;
  /** A line posted with the file. */
  comment?: string;
}

/** The chat workspace as the bot and the worker talk to it. No SDK types cross this line. */
export interface Chat {
  /** Posts a message in a channel; answers its id. */
  post(channel: string, message: ChatMessage): Promise<string>;
  /** Replaces a message the bot posted, in place. */
  update(target: ChatMessageRef, message: ChatMessage): Promise<void>;
  /** Posts a reply in the thread under a message; answers the reply's id. */
  reply(thread: ChatMessageRef, message: ChatMessage): Promise<string>;
  /** Uploads a text file into the thread under a message. */
  uploadText(thread: ChatMessageRef, file: ChatTextFile): Promise<void>;
  /** A link to a message that opens it in the chat client. */
  permalink(target: ChatMessageRef): Promise<string>;
}

/**
 * - `rate_limited`: the workspace asked us to slow down; try again after `retryAfterMs`.
 * - `not_found`: the channel or message does not exist (or is not visible to the bot).
 * - `refused`: the workspace understood and said no (not in channel, archived, invalid blocks…).
 * - `unavailable`: no usable answer (network, timeout, server error) after the adapter's retries.
 */
export type ChatErrorKind = 'rate_limited' | 'not_found' | 'refused' | 'unavailable';

/** Every failure a `Chat` reports; callers decide on `kind`, never on the message text. */
export class ChatError extends Error {
  readonly kind: ChatErrorKind;
  /** The workspace's own error name when it gave one, e.g. `channel_not_found`. */
  readonly code: string | undefined;
  /** For `rate_limited`: how long to wait before trying again. */
  readonly retryAfterMs: number | undefined;

  constructor(
    kind: ChatErrorKind,
    message: string,
    options: { code?: string; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ChatError';
    this.kind = kind;
    this.code = options.code;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export function isChatError(error: unknown, kind?: ChatErrorKind): error is ChatError {
  return error instanceof ChatError && (kind === undefined || error.kind === kind);
}
