import type { DeployRequest } from '../domain/deploy-request.js';
import type { Refusal } from '../domain/deploy-target.js';
import {
  context,
  escapeMrkdwn,
  mentionUser,
  mentionUserGroup,
  section,
  truncate,
  type SlackMessage,
} from './slack-message.js';

/** User text inside a code span: escaped, no backticks to break out of it, not endless. */
function code(text: string): string {
  return `\`${escapeMrkdwn(truncate(text.replace(/`/g, "'"), 80))}\``;
}

function message(text: string, ...more: string[]): SlackMessage {
  return { text, blocks: [section(text), ...(more.length > 0 ? [context(...more)] : [])] };
}

const EXAMPLES = '`/deploy hello-world`, `/deploy hello-world@v1.2.0 to production`';

function orList(names: readonly string[]): string {
  return names.map(code).join(', ');
}

/** `hello-world@main` → *staging*: a code span, as mrkdwn cannot bold a word glued to "@". */
export function deployTitle(
  target: Pick<DeployRequest, 'service' | 'ref' | 'environment'>,
): string {
  return `${code(`${target.service}@${target.ref}`)} → *${escapeMrkdwn(target.environment)}*`;
}

/** The in-channel message the worker then updates in place. */
export function queuedMessage(request: DeployRequest): SlackMessage {
  const line = `${mentionUser(request.requestedBy.userId)} queued ${deployTitle(request)}`;
  return {
    text: `@${request.requestedBy.userName} queued ${request.service}@${request.ref} → ${request.environment}`,
    blocks: [
      section(line),
      context(`:hourglass_flowing_sand: Waiting for a worker · job ${code(request.id)}`),
    ],
  };
}

export function helpMessage(): SlackMessage {
  const lines = [
    '*Deploy a service*',
    '`/deploy <service>` deploys its default branch to the default environment.',
    '`/deploy <service>@<ref> to <environment>` deploys a branch, tag or commit to an environment.',
    '`/deploy list` shows the services and the environments you may deploy to.',
    '`/status [service] [environment]` shows the pods and addresses.',
  ];
  return {
    text: `How to use /deploy: ${EXAMPLES}`,
    blocks: [section(lines.join('\n')), context(`For example ${EXAMPLES}`)],
  };
}

export interface ListedService {
  name: string;
  defaultRef: string;
}

export function listMessage(input: {
  services: readonly ListedService[];
  allowedEnvironments: readonly string[];
  defaultEnvironment: string | undefined;
}): SlackMessage {
  const services = input.services.map(
    (service) => `• ${code(service.name)} (default ref ${code(service.defaultRef)})`,
  );
  const environments =
    input.allowedEnvironments.length === 0
      ? 'You may not deploy to any environment. Ask whoever runs Harbormaster to add you to `deployers` in harbormaster.yaml.'
      : `You may deploy to: ${input.allowedEnvironments
          .map((name) =>
            name === input.defaultEnvironment ? `${code(name)} (default)` : code(name),
          )
          .join(', ')}`;
  const text = [`*Services*`, ...services, '', environments].join('\n');
  return {
    text: `Services: ${input.services.map((s) => s.name).join(', ')}`,
    blocks: [section(text)],
  };
}

export function unreadableMessage(text: string): SlackMessage {
  return message(
    `I couldn't read ${code(`/deploy ${text}`)}. Type ${EXAMPLES}, or \`/deploy help\`.`,
    'Nothing was queued.',
  );
}

export function refusalMessage(
  refusal: Refusal,
  deployers?: { users: string[]; userGroups: string[] },
): SlackMessage {
  switch (refusal.code) {
    case 'UNKNOWN_SERVICE': {
      const hint =
        refusal.suggestions.length > 0
          ? `Did you mean ${orList(refusal.suggestions)}? Try ${code(`/deploy ${refusal.suggestions[0] ?? ''}`)}.`
          : `The services are ${orList(refusal.known)}; \`/deploy list\` shows them.`;
      return message(
        `There is no service called ${code(refusal.service)}. ${hint}`,
        'Nothing was queued.',
      );
    }
    case 'UNKNOWN_ENVIRONMENT': {
      const hint =
        refusal.suggestions.length > 0
          ? `Did you mean ${orList(refusal.suggestions)}?`
          : `The environments are ${orList(refusal.known)}.`;
      return message(
        `There is no environment called ${code(refusal.environment)}. ${hint}`,
        'Nothing was queued.',
      );
    }
    case 'INVALID_REF':
      return message(
        `${code(refusal.ref)} is not a ref I can deploy. Use a branch, tag or commit made of letters, digits and \`. _ / -\`, not starting with \`-\`, e.g. \`/deploy hello-world@v1.2.0\`.`,
        'Nothing was queued.',
      );
    case 'NOT_AUTHORISED': {
      const who = [
        ...(deployers?.users ?? []).map(mentionUser),
        ...(deployers?.userGroups ?? []).map(mentionUserGroup),
      ];
      const ask = who.length > 0 ? ` Ask ${who.join(', ')} to deploy it,` : ' Ask a deployer,';
      return message(
        `You are not allowed to deploy to *${escapeMrkdwn(refusal.environment)}*.${ask} or ask whoever runs Harbormaster to add you to \`environments.${escapeMrkdwn(refusal.environment)}.deployers\`.`,
        'Nothing was queued.',
      );
    }
  }
}

export function duplicateMessage(request: DeployRequest, jobId: string): SlackMessage {
  return message(
    `${deployTitle(request)} is already queued (job ${code(jobId)}); its progress is in this channel.`,
    'Nothing new was queued.',
  );
}

export function queueUnavailableMessage(): SlackMessage {
  return message(
    ':x: I could not queue the deploy: the deploy queue (Redis) is not answering. Nothing was queued. Try again in a minute; if it keeps failing, tell whoever runs Harbormaster.',
  );
}

export function authorisationUnavailableMessage(environment: string): SlackMessage {
  return message(
    `:x: I could not check whether you may deploy to *${escapeMrkdwn(environment)}*: Slack did not answer the user-group look-up. Nothing was queued; try again in a minute.`,
  );
}

export function cannotPostHereMessage(request: DeployRequest): SlackMessage {
  return message(
    `Queued ${deployTitle(request)}, but I can't post its progress in this channel. Invite me with \`/invite @Harbormaster\` to see it here.`,
  );
}
