import type { NotificationsConfig } from '../domain/catalog.js';
import type { DeployRequest } from '../domain/deploy-request.js';
import {
  advance,
  conclude,
  initialProgress,
  type DeployProgress,
  type FinalOutcome,
  type ProgressEvent,
} from '../domain/deploy-progress.js';
import type { Logger } from '../logger.js';
import { progressMessage } from '../messages/deploy-progress.js';
import type { Chat, ChatMessageRef } from '../ports/chat.js';
import { systemClock, type Clock } from '../ports/clock.js';
import { reportFailure } from './failure-report.js';
import { ProgressSender } from './progress-sender.js';

export interface ProgressReporterOptions {
  chat: Chat;
  request: DeployRequest;
  logger: Logger;
  /** At most one update of the message per interval (Slack's chat.update is ~50 a minute). */
  intervalMs?: number;
  /** The catalog's `notifications`: told about a failed deploy. */
  notifications?: NotificationsConfig;
  /** How often one update is tried again after a rate limit before it is given up. */
  maxRateLimitRetries?: number;
  clock?: Clock;
}

export const DEFAULT_PROGRESS_INTERVAL_MS = 1200;

/**
 * One deploy's message in the channel. Events change the state at once (a pure reducer); the
 * sender brings the message up to date, coalesced; `finish()` sends the ending, then, for a
 * failure, the log tail and the failure-channel notification. Never throws for the chat's sake.
 */
export class ProgressReporter {
  private progress: DeployProgress;
  private readonly sender: ProgressSender;
  private readonly clock: Clock;
  private finished = false;

  constructor(private readonly options: ProgressReporterOptions) {
    const { request } = options;
    const { origin } = request;
    this.progress = initialProgress({
      id: request.id,
      service: request.service,
      ref: request.ref,
      environment: request.environment,
      requestedBy: origin.user,
      ...(request.kind === undefined ? {} : { kind: request.kind }),
      ...(request.revision === undefined ? {} : { revision: request.revision }),
    });
    this.clock = options.clock ?? systemClock;
    this.sender = new ProgressSender({
      chat: options.chat,
      channel: origin.channel,
      ...(origin.message === undefined
        ? {}
        : { target: { channel: origin.channel, id: origin.message } }),
      render: () => progressMessage(this.progress),
      logger: options.logger,
      clock: this.clock,
      intervalMs: options.intervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS,
      maxRateLimitRetries: options.maxRateLimitRetries ?? 20,
    });
  }

  /** The state the message shows (or is about to). */
  get state(): DeployProgress {
    return this.progress;
  }

  /** The deploy's message, once there is one. */
  get message(): ChatMessageRef | undefined {
    return this.sender.message;
  }

  /** Applies one event; the message follows within the interval. */
  report(event: ProgressEvent): void {
    if (this.finished) {
      this.options.logger.warn({ event: event.type }, 'progress event after finish ignored');
      return;
    }
    this.progress = advance(this.progress, event, new Date(this.clock.now()));
    this.sender.changed();
  }

  /** Sends what is pending now and waits for it: for a deploy that steps aside, e.g. to wait its turn. */
  async settle(): Promise<void> {
    await this.sender.settle();
  }

  /**
   * Ends the deploy: the final state is always sent; then, for a failure, the log tail in the
   * thread and the failure-channel notification. Resolves when all of that is done or logged.
   */
  async finish(outcome: FinalOutcome): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.progress = conclude(this.progress, outcome, new Date(this.clock.now()));
    await this.sender.close();
    if (outcome.type !== 'failed') return;
    await reportFailure({
      chat: this.options.chat,
      logger: this.options.logger,
      progress: this.progress,
      outcome,
      message: this.sender.message,
      channel: this.options.request.origin.channel,
      ...(this.options.notifications ? { notifications: this.options.notifications } : {}),
    });
  }
}
