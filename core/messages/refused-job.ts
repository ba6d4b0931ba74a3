import type { JobRefusal } from '../domain/job-signature.js';
import type { ChatMessage } from '../ports/chat-message.js';
import { emoji, message, text } from './inline.js';

const WHY: Record<JobRefusal, string> = {
  unsigned: 'it carries no signature of this Harbormaster (was it written into the queue by hand?)',
  forged:
    'its signature does not match what it asks for (it was changed after Harbormaster queued it, or signed with another key)',
  unreadable: 'it is not a deploy request Harbormaster can read',
  replayed:
    'it is not the job Harbormaster queued (another job id, or queued again long after it was asked for)',
  withdrawn: 'Harbormaster withdrew it: the queue did not confirm it in time',
};

/** What a refused job's message says instead of its progress: why, and that nothing ran. */
export function refusedJobMessage(refusal: JobRefusal): ChatMessage {
  return message(
    [emoji('no_entry'), text(` A deploy job was refused: ${WHY[refusal]}.`)],
    [text('Nothing ran. Deploy again with /deploy if you meant to.')],
  );
}
