import type { DeployRequest } from '../domain/deploy-request.js';
import { STAGES, type StageName } from '../domain/stages.js';
import type { Logger } from '../logger.js';
import {
  failureNotification,
  initialProgress,
  logTailMessage,
  progressMessage,
  type DeployProgress,
  type FailureMentions,
  type ProgressNote,
} from '../messages/deploy-progress.js';
import type { ChatMessage } from '../ports/chat-message.js';
import { isChatError, type Chat, type ChatMessageRef } from '../ports/chat.js';

/** What the pipeline tells the reporter as a deploy runs. */
export type ProgressEvent =
  | { type: 'stage-started'; stage: StageName }
  | { type: 'stage-finished'; stage: StageName }
  | { type: 'stage-skipped'; stage: StageName }
  | { type: 'stage-failed'; stage: StageName }
  | { type: 'details'; commit?: string; digest?: string; address?: string }
  | { type: 'note'; note: ProgressNote }
  | { type: 'clear-notes' };

/** How the deploy ended; `finish()` takes it. */
export type FinalOutcome =
  | { type: 'succeeded'; address?: string; digest?: string }
  | {
      type: 'failed';
      stage: StageName;
      reason: string;
      /** The failing stage's output; its tail goes in the thread, all of it as a file if long. */
      log?: string;
      rolledBackToRevision?: number;
    };

export interface ProgressReporterOptions {
  chat: Chat;
  request: DeployRequest;
  logger: Logger;
  /** At most one update of the message per interval (Slack's chat.update is ~50 a minute). */
  intervalMs?: number;
  /** The catalog's `notifications`: told about a failed deploy. */
  notifications?: { failureChannel: string; mention: FailureMentions };
  /** How often one update is tried again after a rate limit before it is given up. */
  maxRateLimitRetries?: number;
  now?: () => Date;
}

export const DEFAULT_PROGRESS_INTERVAL_MS = 1200;

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

/**
 * Keeps the deploy's message in the channel current. Events change the state at once; the
 * message follows, coalesced: at most one update per interval, always of the latest state.
 * `finish()` flushes the final state, then posts the log tail and the failure notification.
 * Chat failures are logged, never thrown: a deploy does not fail because Slack did.
 */
export class ProgressReporter {
  private readonly progress: DeployProgress;
  private readonly intervalMs: number;
  private readonly now: () => Date;
  private target: ChatMessageRef | undefined;
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private finished = false;
  private reposted = false;

  constructor(private readonly options: ProgressReporterOptions) {
    const { request } = options;
    this.progress = initialProgress(request);
    this.intervalMs = options.intervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
    this.now = options.now ?? (() => new Date());
    if (request.messageTs !== undefined) {
      this.target = { channel: request.channelId, ts: request.messageTs };
    }
  }

  /** A copy of the state the message shows (or is about to). */
  get state(): DeployProgress {
    return structuredClone(this.progress);
  }

  /** The deploy's message, once there is one. */
  get message(): ChatMessageRef | undefined {
    return this.target;
  }

  /** Applies one event; the message follows within the interval. */
  report(event: ProgressEvent): void {
    if (this.finished) {
      this.options.logger.warn({ event: event.type }, 'progress event after finish ignored');
      return;
    }
    this.apply(event);
    this.schedule();
  }

  /** Sends what is pending now and waits for it: for a deploy that steps aside, e.g. to wait its turn. */
  async settle(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.inFlight) await this.inFlight;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.dirty) await this.flush();
  }

  /**
   * Ends the deploy: the final state is always sent (after any update in flight, and no sooner
   * than the interval allows); then, for a failure, the log tail in the thread and the
   * failure-channel notification. Resolves when all of that is done or has been logged as failed.
   */
  async finish(outcome: FinalOutcome): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    const now = this.now();
    const progress = this.progress;
    if (outcome.type === 'succeeded') {
      if (outcome.address !== undefined) progress.address = outcome.address;
      if (outcome.digest !== undefined) progress.digest = outcome.digest;
    } else {
      const stage = progress.stages[outcome.stage];
      stage.state = 'failed';
      stage.startedAt ??= now;
      stage.endedAt ??= now;
      progress.failure = {
        stage: outcome.stage,
        reason: outcome.reason,
        ...(outcome.rolledBackToRevision === undefined
          ? {}
          : { rolledBackToRevision: outcome.rolledBackToRevision }),
      };
      for (const name of STAGES) {
        const other = progress.stages[name];
        if (other.state === 'pending') other.state = 'skipped';
        if (other.state === 'running') {
          other.state = 'failed';
          other.endedAt ??= now;
        }
      }
    }
    progress.startedAt ??= now;
    progress.finishedAt = now;
    progress.notes = progress.notes.filter((note) => note.kind !== 'waiting-behind');
    this.dirty = true;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    await this.inFlight;
    const wait = this.lastSentAt + this.intervalMs - Date.now();
    if (wait > 0) await sleep(wait);
    await this.flush();
    if (outcome.type === 'failed') await this.reportFailure(outcome);
  }

  private apply(event: ProgressEvent): void {
    const progress = this.progress;
    const now = this.now();
    switch (event.type) {
      case 'stage-started': {
        progress.startedAt ??= now;
        progress.stages[event.stage] = { state: 'running', startedAt: now };
        // Running means no longer waiting behind anyone.
        progress.notes = progress.notes.filter((note) => note.kind !== 'waiting-behind');
        return;
      }
      case 'stage-finished': {
        const stage = progress.stages[event.stage];
        progress.stages[event.stage] = {
          state: 'done',
          startedAt: stage.startedAt ?? now,
          endedAt: now,
        };
        return;
      }
      case 'stage-skipped':
        progress.stages[event.stage] = { state: 'skipped' };
        return;
      case 'stage-failed': {
        const stage = progress.stages[event.stage];
        progress.stages[event.stage] = {
          state: 'failed',
          startedAt: stage.startedAt ?? now,
          endedAt: now,
        };
        return;
      }
      case 'details':
        if (event.commit !== undefined) progress.commit = event.commit;
        if (event.digest !== undefined) progress.digest = event.digest;
        if (event.address !== undefined) progress.address = event.address;
        return;
      case 'note':
        progress.notes.push(event.note);
        return;
      case 'clear-notes':
        progress.notes = [];
        return;
    }
  }

  private schedule(): void {
    this.dirty = true;
    if (this.timer !== undefined || this.inFlight !== undefined) return;
    const wait = Math.max(0, this.lastSentAt + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.inFlight = this.flush().finally(() => {
        this.inFlight = undefined;
        if (this.dirty && !this.finished) this.schedule();
      });
    }, wait);
  }

  /** Sends the latest state once; a rate limit is waited out and the then-latest state sent. */
  private async flush(): Promise<void> {
    const maxRetries = this.options.maxRateLimitRetries ?? 20;
    for (let attempt = 0; this.dirty; attempt += 1) {
      this.dirty = false;
      const message = progressMessage(this.progress);
      this.lastSentAt = Date.now();
      try {
        await this.send(message);
        return;
      } catch (error) {
        if (isChatError(error, 'rate_limited') && attempt < maxRetries) {
          this.options.logger.info(
            { retryAfterMs: error.retryAfterMs, attempt },
            'progress update rate-limited; waiting',
          );
          this.dirty = true;
          await sleep(error.retryAfterMs ?? 1000);
          continue;
        }
        if (isChatError(error, 'not_found') && this.target !== undefined && !this.reposted) {
          // The message was deleted (or never existed): post the progress as a new one.
          this.options.logger.warn(
            { err: error, channel: this.target.channel, ts: this.target.ts },
            'deploy message not found; posting a new one',
          );
          this.target = undefined;
          this.reposted = true;
          this.dirty = true;
          continue;
        }
        this.options.logger.warn({ err: error }, 'progress update failed');
        return;
      }
    }
  }

  private async send(message: ChatMessage): Promise<void> {
    if (this.target === undefined) {
      // No message to update (the bot could not post one): post it now and update it from then on.
      const channel = this.options.request.channelId;
      const ts = await this.options.chat.post(channel, message);
      this.target = { channel, ts };
      return;
    }
    await this.options.chat.update(this.target, message);
  }

  private async reportFailure(outcome: Extract<FinalOutcome, { type: 'failed' }>): Promise<void> {
    const { chat, logger, notifications, request } = this.options;
    const target = this.target;
    if (target !== undefined && outcome.log !== undefined) {
      const tail = logTailMessage({
        service: request.service,
        stage: outcome.stage,
        log: outcome.log,
      });
      try {
        await chat.reply(target, tail.message);
        if (tail.file !== undefined) await chat.uploadText(target, tail.file);
      } catch (error) {
        logger.warn({ err: error }, 'log tail could not be posted');
      }
    }
    if (notifications === undefined) return;
    let permalink: string | undefined;
    if (target !== undefined) {
      try {
        permalink = await chat.permalink(target);
      } catch (error) {
        logger.warn({ err: error }, 'permalink of the deploy message could not be read');
      }
    }
    try {
      await chat.post(
        notifications.failureChannel,
        failureNotification({
          progress: this.progress,
          mention: notifications.mention,
          channelId: request.channelId,
          ...(permalink === undefined ? {} : { permalink }),
        }),
      );
    } catch (error) {
      logger.warn({ err: error }, 'failure notification could not be posted');
    }
  }
}
