import type { JobRefusal } from '../domain/job-signature.js';
import type { Logger } from '../logger.js';
import { refusedJobMessage } from '../messages/refused-job.js';
import type { Chat, ChatMessageRef } from '../ports/chat.js';

/**
 * A job the worker will not run (unsigned, forged, replayed): logged, and, if it points at a
 * message, that message says so. Nothing else about such a job is acted on.
 */
export async function refuseJob(
  job: { id: string | undefined; refusal: JobRefusal; detail: string },
  pointer: ChatMessageRef | undefined,
  deps: { chat: Chat; logger: Logger },
): Promise<void> {
  deps.logger.warn(
    { jobId: job.id, refusal: job.refusal, detail: job.detail },
    'deploy job refused: nothing ran',
  );
  if (pointer === undefined || job.refusal === 'withdrawn') return;
  await deps.chat.update(pointer, refusedJobMessage(job.refusal)).catch((error: unknown) => {
    deps.logger.warn(
      { err: error, jobId: job.id },
      'could not say in its message that a job was refused',
    );
  });
}
