import {
  LogLevel,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
} from '@slack/web-api';
import type { Logger } from '../../logger.js';
import type { ChatMessage } from '../../ports/chat-message.js';
import { ChatError, type Chat, type ChatMessageRef, type ChatTextFile } from '../../ports/chat.js';
import type { ChatCallMetrics } from '../../ports/metrics.js';
import { MeteredWebClient } from './metered-web-client.js';
import { toSlackMessage } from './render-message.js';
import { slackLogger } from './slack-logger.js';

export interface SlackChatRetryOptions {
  /**
   * How many times one call is tried again. A 429 counts as one: the client waits out its
   * `Retry-After`, then tries again. Network failures and 5xx answers are retried the same way.
   */
  retries?: number;
  /** Backoff between attempts, on top of any `Retry-After` wait. */
  minDelayMs?: number;
  maxDelayMs?: number;
}

export interface SlackChatOptions {
  /** The bot token, `xoxb-…`. */
  token: string;
  /** The Web API base URL (`SLACK_API_URL`); Slack's own when absent. */
  slackApiUrl?: string;
  logger?: Logger;
  retry?: SlackChatRetryOptions;
  /** One HTTP request's time limit. */
  requestTimeoutMs?: number;
  /**
   * Answer a 429 at once with a `rate_limited` ChatError (carrying `retryAfterMs`) instead of
   * waiting it out inside the client; for callers that schedule their own retries.
   */
  rejectRateLimitedCalls?: boolean;
  /** Told how each Web API call ended, and of each 429. */
  metrics?: ChatCallMetrics;
}

const NO_CALL_METRICS: ChatCallMetrics = {
  called: () => undefined,
  rateLimited: () => undefined,
};

export const DEFAULT_SLACK_RETRY: Required<SlackChatRetryOptions> = {
  retries: 10,
  minDelayMs: 200,
  maxDelayMs: 30_000,
};

/** Slack's error names that mean "that channel or message is not there". */
const NOT_FOUND = new Set([
  'channel_not_found',
  'message_not_found',
  'thread_not_found',
  'file_not_found',
]);

/** What went wrong, as the port says it: decided on the client's error classes, never on text. */
export function toChatError(method: string, error: unknown): ChatError {
  if (error instanceof ChatError) return error;
  if (error instanceof WebAPIRateLimitedError) {
    return new ChatError('rate_limited', `Slack rate-limited ${method}`, {
      code: 'ratelimited',
      retryAfterMs: error.retryAfter * 1000,
      cause: error,
    });
  }
  if (error instanceof WebAPIPlatformError) {
    const code = error.data.error;
    const kind =
      code === 'ratelimited' ? 'rate_limited' : NOT_FOUND.has(code) ? 'not_found' : 'refused';
    return new ChatError(kind, `Slack refused ${method}: ${code}`, { code, cause: error });
  }
  if (error instanceof WebAPIHTTPError) {
    return new ChatError('unavailable', `Slack answered ${method} with HTTP ${error.statusCode}`, {
      cause: error,
    });
  }
  if (error instanceof WebAPIRequestError) {
    return new ChatError('unavailable', `Slack could not be reached for ${method}`, {
      cause: error,
    });
  }
  // After its last retry of a 429 the client rethrows a plain Error; anything else unknown too.
  return new ChatError('unavailable', `${method} failed after retries`, { cause: error });
}

/**
 * The chat port over Slack's Web API (`@slack/web-api`). Rate limits are waited out by the
 * client (it honours `Retry-After` and pauses its queue), so a 429 costs time, not the message;
 * a refusal (invalid blocks, channel not found) is not retried and surfaces as a ChatError.
 */
export class SlackChat implements Chat {
  readonly client: WebClient;

  constructor(options: SlackChatOptions) {
    const retry = { ...DEFAULT_SLACK_RETRY, ...options.retry };
    this.client = new MeteredWebClient(
      options.token,
      {
        ...(options.slackApiUrl === undefined ? {} : { slackApiUrl: options.slackApiUrl }),
        logger: slackLogger(options.logger, { component: 'slack-web-api', level: LogLevel.WARN }),
        retryConfig: {
          retries: retry.retries,
          factor: 2,
          minTimeout: retry.minDelayMs,
          maxTimeout: retry.maxDelayMs,
          randomize: true,
        },
        timeout: options.requestTimeoutMs ?? 30_000,
        rejectRateLimitedCalls: options.rejectRateLimitedCalls ?? false,
      },
      options.metrics ?? NO_CALL_METRICS,
    );
  }

  async post(channel: string, message: ChatMessage): Promise<string> {
    return this.postMessage(channel, message);
  }

  async update(target: ChatMessageRef, message: ChatMessage): Promise<void> {
    await this.call('chat.update', () =>
      this.client.chat.update({
        channel: target.channel,
        ts: target.id,
        ...toSlackMessage(message),
      }),
    );
  }

  async reply(thread: ChatMessageRef, message: ChatMessage): Promise<string> {
    return this.postMessage(thread.channel, message, thread.id);
  }

  async uploadText(thread: ChatMessageRef, file: ChatTextFile): Promise<void> {
    await this.call('files.uploadV2', () =>
      this.client.files.uploadV2({
        channel_id: thread.channel,
        thread_ts: thread.id,
        file: Buffer.from(file.content, 'utf8'),
        filename: file.filename,
        title: file.title ?? file.filename,
        ...(file.comment === undefined ? {} : { initial_comment: file.comment }),
      }),
    );
  }

  async permalink(target: ChatMessageRef): Promise<string> {
    return this.call('chat.getPermalink', async () => {
      const answer = await this.client.chat.getPermalink({
        channel: target.channel,
        message_ts: target.id,
      });
      if (answer.permalink === undefined) {
        throw new ChatError('unavailable', 'chat.getPermalink answered no permalink');
      }
      return answer.permalink;
    });
  }

  private async postMessage(
    channel: string,
    message: ChatMessage,
    threadTs?: string,
  ): Promise<string> {
    return this.call('chat.postMessage', async () => {
      const answer = await this.client.chat.postMessage({
        channel,
        ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
        ...toSlackMessage(message),
      });
      return tsOf(answer.ts, 'chat.postMessage');
    });
  }

  private async call<T>(method: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toChatError(method, error);
    }
  }
}

function tsOf(ts: string | undefined, method: string): string {
  if (ts === undefined) throw new ChatError('unavailable', `${method} answered no ts`);
  return ts;
}
