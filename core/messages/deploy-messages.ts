import type { ListedService } from '../domain/command-outcomes.js';
import type { DeployRequest } from '../domain/deploy-request.js';
import type { ChatMessage, Inline } from '../ports/chat-message.js';
import { bold, code, context, emoji, joined, message, section, text, user } from './inline.js';

export const NOTHING_QUEUED = [text('Nothing was queued.')];

/** `/deploy hello-world`, `/deploy hello-world@v1.2.0 to production` */
const EXAMPLES = [
  code('/deploy hello-world'),
  text(', '),
  code('/deploy hello-world@v1.2.0 to production'),
];

export function orList(names: readonly string[]): Inline[] {
  return joined(
    names.map((name) => [code(name)]),
    ', ',
  );
}

/** `hello-world@main` → *staging*: a code span, as mrkdwn cannot bold a word glued to "@". */
export function deployTitle(
  target: Pick<DeployRequest, 'service' | 'ref' | 'environment'>,
): Inline[] {
  return [code(`${target.service}@${target.ref}`), text(' → '), bold(target.environment)];
}

/** The in-channel message the worker then updates in place. */
export function queuedMessage(request: DeployRequest): ChatMessage {
  return {
    summary: [
      text(
        `@${request.origin.user.name} queued ${request.service}@${request.ref} → ${request.environment}`,
      ),
    ],
    blocks: [
      section(user(request.origin.user.id), text(' queued '), ...deployTitle(request)),
      context(
        emoji('hourglass_flowing_sand'),
        text(' Waiting for a worker · job '),
        code(request.id),
      ),
    ],
  };
}

export function helpMessage(): ChatMessage {
  const lines: Inline[][] = [
    [bold('Deploy a service')],
    [code('/deploy <service>'), text(' deploys its default branch to the default environment.')],
    [
      code('/deploy <service>@<ref> to <environment>'),
      text(' deploys a branch, tag or commit to an environment.'),
    ],
    [code('/deploy list'), text(' shows the services and the environments you may deploy to.')],
    [code('/status [service] [environment]'), text(' shows the pods and addresses.')],
  ];
  return {
    summary: [text('How to use /deploy: '), ...EXAMPLES],
    blocks: [section(...joined(lines, '\n')), context(text('For example '), ...EXAMPLES)],
  };
}

export function listMessage(input: {
  services: readonly ListedService[];
  allowedEnvironments: readonly string[];
  defaultEnvironment: string | undefined;
}): ChatMessage {
  const services = input.services.map((service) => [
    text('• '),
    code(service.name),
    text(' (default ref '),
    code(service.defaultRef),
    text(')'),
  ]);
  const environments =
    input.allowedEnvironments.length === 0
      ? [
          text(
            'You may not deploy to any environment. Ask whoever runs Harbormaster to add you to ',
          ),
          code('deployers'),
          text(' in harbormaster.yaml.'),
        ]
      : [
          text('You may deploy to: '),
          ...joined(
            input.allowedEnvironments.map((name) =>
              name === input.defaultEnvironment ? [code(name), text(' (default)')] : [code(name)],
            ),
            ', ',
          ),
        ];
  return {
    summary: [text(`Services: ${input.services.map((s) => s.name).join(', ')}`)],
    blocks: [section(...joined([[bold('Services')], ...services, [], environments], '\n'))],
  };
}

export function unreadableMessage(typed: string): ChatMessage {
  return message(
    [
      text("I couldn't read "),
      code(`/deploy ${typed}`),
      text('. Type '),
      ...EXAMPLES,
      text(', or '),
      code('/deploy help'),
      text('.'),
    ],
    NOTHING_QUEUED,
  );
}

export function cannotPostHereMessage(request: DeployRequest): ChatMessage {
  return message([
    text('Queued '),
    ...deployTitle(request),
    text(", but I can't post its progress in this channel. Invite me with "),
    code('/invite @Harbormaster'),
    text(' to see it here.'),
  ]);
}
