import type { DeployRequest } from '../domain/deploy-request.js';
import { queuedMessage } from '../messages/deploy-messages.js';
import type { CommandDependencies } from './command-dependencies.js';

export type AnnounceOutcome =
  | { kind: 'announced'; messageId: string }
  /** The chat would not take the message (e.g. the bot is not in the channel); the job runs anyway. */
  | { kind: 'not-posted' };

/**
 * After a deploy is queued (and the surface has answered): the "queued" message in the
 * conversation, which the worker then keeps current, and the job released to run.
 */
export async function announceDeploy(
  queued: { request: DeployRequest; jobId: string },
  deps: Pick<CommandDependencies, 'chat' | 'queue' | 'logger'>,
): Promise<AnnounceOutcome> {
  const { request, jobId } = queued;
  let messageId: string | undefined;
  try {
    // Slack may make the post wait out its rate limits: the job stays held until it lands.
    messageId = await deps.queue.holdWhile(jobId, () =>
      deps.chat.post(request.origin.channel, queuedMessage(request)),
    );
  } catch (error) {
    deps.logger.warn({ err: error }, 'could not post the queued message');
  }
  await deps.queue.announce(jobId, messageId).catch((error: unknown) => {
    // The job runs when its hold ends anyway; only the message link is lost.
    deps.logger.warn({ err: error, jobId }, 'could not announce the queued job');
  });
  return messageId === undefined ? { kind: 'not-posted' } : { kind: 'announced', messageId };
}
