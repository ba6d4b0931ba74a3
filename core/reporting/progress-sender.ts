import type { Logger } from '../logger.js';
import type { ChatMessage } from '../ports/chat-message.js';
import { isChatError, type Chat, type ChatMessageRef } from '../ports/chat.js';
import type { Clock } from '../ports/clock.js';

export interface ProgressSenderOptions {
  chat: Chat;
  /** Where the message is posted when there is none to update yet. */
  channel: string;
  /** The message to keep current; absent when the bot could not post one. */
  target?: ChatMessageRef;
  /** The message as it should read now: called for each send, so the latest state wins. */
  render: () => ChatMessage;
  logger: Logger;
  clock: Clock;
  /** At most one send per interval (Slack's chat.update is ~50 a minute). */
  intervalMs: number;
  /** How often one send is tried again after a rate limit before it is given up. */
  maxRateLimitRetries: number;
}

/**
 * Keeps one chat message current: changes are coalesced into at most one send per interval,
 * always of the latest state; a rate limit is waited out, a message that has gone is posted
 * anew. Chat failures are logged, never thrown.
 */
export class ProgressSender {
  private target: ChatMessageRef | undefined;
  private dirty = false;
  private cancelTimer: (() => void) | undefined;
  private inFlight: Promise<void> | undefined;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private closed = false;
  private reposted = false;

  constructor(private readonly options: ProgressSenderOptions) {
    this.target = options.target;
  }

  /** The message, once there is one. */
  get message(): ChatMessageRef | undefined {
    return this.target;
  }

  /** The state changed: it is sent within the interval. */
  changed(): void {
    this.dirty = true;
    if (!this.closed) this.schedule();
  }

  /** Sends what is pending now and waits for it. */
  async settle(): Promise<void> {
    this.stopTimer();
    if (this.inFlight) await this.inFlight;
    this.stopTimer();
    if (this.dirty) await this.flush();
  }

  /** Sends the final state (after any send in flight, no sooner than the interval allows), then stops. */
  async close(): Promise<void> {
    this.closed = true;
    this.dirty = true;
    this.stopTimer();
    await this.inFlight;
    const wait = this.lastSentAt + this.options.intervalMs - this.options.clock.now();
    if (wait > 0) await this.options.clock.sleep(wait);
    await this.flush();
  }

  private stopTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  private schedule(): void {
    if (this.cancelTimer !== undefined || this.inFlight !== undefined) return;
    const { clock, intervalMs } = this.options;
    const wait = Math.max(0, this.lastSentAt + intervalMs - clock.now());
    this.cancelTimer = clock.setTimer(() => {
      this.cancelTimer = undefined;
      this.inFlight = this.flush().finally(() => {
        this.inFlight = undefined;
        if (this.dirty && !this.closed) this.schedule();
      });
    }, wait);
  }

  /** Sends the latest state once; a rate limit is waited out and the then-latest state sent. */
  private async flush(): Promise<void> {
    const { logger, clock, maxRateLimitRetries } = this.options;
    for (let attempt = 0; this.dirty; attempt += 1) {
      this.dirty = false;
      this.lastSentAt = clock.now();
      try {
        await this.send(this.options.render());
        return;
      } catch (error) {
        if (isChatError(error, 'rate_limited') && attempt < maxRateLimitRetries) {
          logger.info(
            { retryAfterMs: error.retryAfterMs, attempt },
            'progress update rate-limited; waiting',
          );
          this.dirty = true;
          await clock.sleep(error.retryAfterMs ?? 1000);
          continue;
        }
        if (isChatError(error, 'not_found') && this.target !== undefined && !this.reposted) {
          // The message was deleted (or never existed): post the progress as a new one.
          logger.warn(
            { err: error, channel: this.target.channel, messageId: this.target.id },
            'deploy message not found; posting a new one',
          );
          this.target = undefined;
          this.reposted = true;
          this.dirty = true;
          continue;
        }
        logger.warn({ err: error }, 'progress update failed');
        return;
      }
    }
  }

  private async send(message: ChatMessage): Promise<void> {
    if (this.target === undefined) {
      // No message to update (the bot could not post one): post it now and update it from then on.
      const { channel } = this.options;
      const id = await this.options.chat.post(channel, message);
      this.target = { channel, id };
      return;
    }
    await this.options.chat.update(this.target, message);
  }
}
