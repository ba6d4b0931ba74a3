import type { ChatUser } from '../domain/chat-address.js';
import type { Logger } from '../logger.js';
import type { CancelRequests } from '../ports/cancel-requests.js';

export interface CancelWatch {
  /** Aborted when the deploy is cancelled, or when `signal` (the worker stopping) is. */
  signal: AbortSignal;
  /** Who cancelled it, once someone has. */
  cancelledBy(): ChatUser | undefined;
  stop(): void;
}

/** How often a running deploy looks for a cancel: well within the 5 seconds it has to stop. */
export const CANCEL_POLL_MS = 500;

/**
 * Watches for a cancel of one deploy, wherever it was asked: polls the cancel requests (a key in
 * Redis) from the worker running it, and aborts the deploy's signal when one appears. Looks once
 * before answering, so a deploy cancelled while queued never starts.
 */
export async function watchForCancel(
  jobId: string,
  options: { cancels: CancelRequests; logger: Logger; signal: AbortSignal; pollMs?: number },
): Promise<CancelWatch> {
  const controller = new AbortController();
  let by: ChatUser | undefined;
  const onStop = () => {
    controller.abort(options.signal.reason);
  };
  if (options.signal.aborted) onStop();
  else options.signal.addEventListener('abort', onStop, { once: true });
  const look = async () => {
    try {
      const asked = await options.cancels.requestedBy(jobId);
      if (asked !== undefined && by === undefined) {
        by = asked;
        options.logger.info({ jobId, by: asked.id }, 'deploy cancelled');
        controller.abort(new Error(`cancelled by ${asked.name}`));
      }
    } catch (error) {
      options.logger.warn({ err: error, jobId }, 'could not look for a cancel');
    }
  };
  await look();
  const timer = setInterval(() => void look(), options.pollMs ?? CANCEL_POLL_MS);
  timer.unref();
  return {
    signal: controller.signal,
    cancelledBy: () => by,
    stop: () => {
      clearInterval(timer);
      options.signal.removeEventListener('abort', onStop);
    },
  };
}
