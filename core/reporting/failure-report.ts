import type { DeployProgress, FinalOutcome } from '../domain/deploy-progress.js';
import type { NotificationsConfig } from '../domain/catalog.js';
import type { Logger } from '../logger.js';
import { failureNotification } from '../messages/failure-notification.js';
import { logTailMessage } from '../messages/log-tail-message.js';
import type { Chat, ChatMessageRef } from '../ports/chat.js';

export interface FailureReport {
  chat: Chat;
  logger: Logger;
  progress: DeployProgress;
  outcome: Extract<FinalOutcome, { type: 'failed' }>;
  /** The deploy's message, when there is one: the log tail goes in its thread. */
  message: ChatMessageRef | undefined;
  /** Where the deploy was asked for. */
  channel: string;
  /** The catalog's `notifications`: told about a failed deploy. */
  notifications?: NotificationsConfig;
}

/** The failing stage's log in the deploy's thread: its tail, and all of it as a file if long. */
async function postLogTail(report: FailureReport, thread: ChatMessageRef, log: string) {
  const tail = logTailMessage({
    service: report.progress.request.service,
    stage: report.outcome.stage,
    log,
  });
  try {
    await report.chat.reply(thread, tail.message);
    if (tail.file !== undefined) await report.chat.uploadText(thread, tail.file);
  } catch (error) {
    report.logger.warn({ err: error }, 'log tail could not be posted');
  }
}

async function permalinkOf(report: FailureReport): Promise<string | undefined> {
  if (report.message === undefined) return undefined;
  try {
    return await report.chat.permalink(report.message);
  } catch (error) {
    report.logger.warn({ err: error }, 'permalink of the deploy message could not be read');
    return undefined;
  }
}

/**
 * After a failed deploy's message has its ending: the log in its thread, and the catalog's
 * failure channel told, with a link to the message. Chat failures are logged, never thrown.
 */
export async function reportFailure(report: FailureReport): Promise<void> {
  const { chat, logger, notifications, outcome } = report;
  if (report.message !== undefined && outcome.log !== undefined) {
    await postLogTail(report, report.message, outcome.log);
  }
  if (notifications === undefined) return;
  const permalink = await permalinkOf(report);
  try {
    await chat.post(
      notifications.failureChannel,
      failureNotification({
        progress: report.progress,
        mention: notifications.mention,
        channelId: report.channel,
        ...(permalink === undefined ? {} : { permalink }),
      }),
    );
  } catch (error) {
    logger.warn({ err: error }, 'failure notification could not be posted');
  }
}
