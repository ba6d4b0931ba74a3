import type { AllMiddlewareArgs, RespondArguments, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { mayDeploy } from '../core/domain/authorisation.js';
import { parseDeployCommand } from '../core/domain/deploy-command.js';
import { isDeployError } from '../core/domain/deploy-error.js';
import type { DeployRequest } from '../core/domain/deploy-request.js';
import { defaultEnvironment, resolveDeployTarget } from '../core/domain/deploy-target.js';
import { requestIdFromTrigger } from '../core/domain/idempotency.js';
import {
  authorisationUnavailableMessage,
  cannotPostHereMessage,
  duplicateMessage,
  helpMessage,
  listMessage,
  queuedMessage,
  queueUnavailableMessage,
  refusalMessage,
  unreadableMessage,
} from '../core/messages/deploy-messages.js';
import { toSlackMessage } from '../core/adapters/slack/render-message.js';
import type { ChatMessage } from '../core/ports/chat-message.js';
import { DEFAULT_CALL_BUDGET, type BotDependencies } from './bot-dependencies.js';
import { withDeadline } from './deadline.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

const ephemeral = (message: ChatMessage): RespondArguments => ({
  response_type: 'ephemeral',
  ...toSlackMessage(message),
});

/**
 * /deploy: parse, check against the catalog, authorise, queue exactly once, acknowledge, then
 * announce in the channel. Every refusal is an ephemeral answer and queues nothing.
 */
export function deployCommandHandler(deps: BotDependencies) {
  const budget = deps.callBudgetMs ?? DEFAULT_CALL_BUDGET;
  const now = deps.now ?? (() => new Date());

  const allowedEnvironments = async (userId: string) => {
    const allowed: string[] = [];
    for (const [name, environment] of Object.entries(deps.catalog.environments)) {
      if (await mayDeploy(userId, environment, (group) => deps.directory.userGroupMembers(group))) {
        allowed.push(name);
      }
    }
    return allowed;
  };

  return async ({ command, ack, client, respond }: CommandArgs): Promise<void> => {
    const log = deps.logger.child({
      command: '/deploy',
      userId: command.user_id,
      channelId: command.channel_id,
    });
    const parsed = parseDeployCommand(command.text);

    if (parsed.kind === 'help') return ack(ephemeral(helpMessage()));
    if (parsed.kind === 'unreadable') return ack(ephemeral(unreadableMessage(command.text)));
    if (parsed.kind === 'list') {
      const allowed = await withDeadline(
        allowedEnvironments(command.user_id),
        budget.authorisation,
        'TIMEOUT',
        'the user-group look-up',
      ).catch(() => undefined);
      if (allowed === undefined)
        return ack(ephemeral(authorisationUnavailableMessage('any environment')));
      return ack(
        ephemeral(
          listMessage({
            services: Object.values(deps.catalog.services).map((s) => ({
              name: s.name,
              defaultRef: s.defaultRef,
            })),
            allowedEnvironments: allowed,
            defaultEnvironment: defaultEnvironment(deps.catalog),
          }),
        ),
      );
    }

    const resolution = resolveDeployTarget(deps.catalog, parsed);
    if (!resolution.ok) {
      log.info({ refusal: resolution.refusal.code }, 'deploy refused');
      return ack(ephemeral(refusalMessage(resolution.refusal)));
    }
    const { target } = resolution;
    const environment = deps.catalog.environments[target.environment];
    if (!environment) return ack(ephemeral(unreadableMessage(command.text)));

    let allowed: boolean;
    try {
      allowed = await withDeadline(
        mayDeploy(command.user_id, environment, (group) => deps.directory.userGroupMembers(group)),
        budget.authorisation,
        'TIMEOUT',
        'the user-group look-up',
      );
    } catch (error) {
      log.warn({ err: error }, 'authorisation look-up failed');
      return ack(ephemeral(authorisationUnavailableMessage(target.environment)));
    }
    if (!allowed) {
      log.info({ environment: target.environment }, 'deploy refused: not a deployer');
      return ack(
        ephemeral(
          refusalMessage(
            { code: 'NOT_AUTHORISED', environment: target.environment },
            environment.deployers,
          ),
        ),
      );
    }

    const request: DeployRequest = {
      id: requestIdFromTrigger(command.trigger_id),
      ...target,
      origin: {
        workspace: command.team_id,
        channel: command.channel_id,
        user: { id: command.user_id, name: command.user_name },
      },
      requestedAt: now().toISOString(),
    };
    let result;
    try {
      result = await withDeadline(
        deps.queue.enqueue(request),
        budget.queue,
        'QUEUE_UNAVAILABLE',
        'the deploy queue',
      );
    } catch (error) {
      log.error(
        { err: error, code: isDeployError(error) ? error.code : undefined },
        'deploy could not be queued',
      );
      return ack(ephemeral(queueUnavailableMessage()));
    }
    if (result.status === 'duplicate') {
      log.info({ jobId: result.jobId }, 'duplicate deploy command: nothing queued');
      return ack(ephemeral(duplicateMessage(request, result.jobId)));
    }

    await ack();
    log.info(
      {
        jobId: result.jobId,
        service: request.service,
        ref: request.ref,
        environment: request.environment,
      },
      'deploy queued',
    );
    let messageTs: string | undefined;
    try {
      const posted = await client.chat.postMessage({
        channel: request.origin.channel,
        ...toSlackMessage(queuedMessage(request)),
      });
      messageTs = posted.ts;
    } catch (error) {
      log.warn({ err: error }, 'could not post the queued message');
      await respond(ephemeral(cannotPostHereMessage(request))).catch(() => undefined);
    }
    await deps.queue.announce(result.jobId, messageTs).catch((error: unknown) => {
      // The job runs when its hold ends anyway; only the message link is lost.
      log.warn({ err: error, jobId: result.jobId }, 'could not announce the queued job');
    });
  };
}
