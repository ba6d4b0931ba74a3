import type { ListedService } from '../domain/command-outcomes.js';
import type { DeployRequest } from '../domain/deploy-request.js';
import type { ChatMessage, Inline } from '../ports/chat-message.js';
import { BRAKE_USAGE } from '../domain/brake-command.js';
import { rollbackTitle } from './brake-progress.js';
import { cancelButton } from './deploy-buttons.js';
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

/** What was queued: a deploy of a ref, or a rollback (to a revision, or the previous one). */
function queuedWhat(request: DeployRequest): { line: Inline[]; plain: string } {
  if (request.kind !== 'rollback') {
    return {
      line: deployTitle(request),
      plain: `${request.service}@${request.ref} → ${request.environment}`,
    };
  }
  const to =
    request.revision === undefined
      ? ' to the previous successful revision'
      : ` to revision ${request.revision}`;
  return {
    line: [text('a rollback of '), ...rollbackTitle(request), text(to)],
    plain: `a rollback of ${request.service} → ${request.environment}${to}`,
  };
}

/** The in-channel message the worker then updates in place; Cancel takes it off the queue. */
export function queuedMessage(request: DeployRequest): ChatMessage {
  const what = queuedWhat(request);
  return {
    summary: [text(`@${request.origin.user.name} queued ${what.plain}`)],
    blocks: [
      section(user(request.origin.user.id), text(' queued '), ...what.line),
      context(
        emoji('hourglass_flowing_sand'),
        text(' Waiting for a worker · job '),
        code(request.id),
      ),
      { kind: 'actions', buttons: [cancelButton(request.id)] },
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
    [
      code('/deploy <service> --rebuild'),
      text(
        ' tests, builds and pushes again, even when an image of the same source passed the test gate before and is reused otherwise.',
      ),
    ],
    [code('/deploy list'), text(' shows the services and the environments you may deploy to.')],
    [code('/status [service] [environment]'), text(' shows the pods and addresses.')],
    [],
    [bold('Brakes and the rear-view mirror')],
    [code(BRAKE_USAGE.lock), text(': nobody else deploys there until it is unlocked.')],
    [code(BRAKE_USAGE.unlock), text(' (--force removes someone else’s lock, and tells them).')],
    [code(BRAKE_USAGE.locks), text(' lists every lock.')],
    [code(BRAKE_USAGE.cancel), text(' stops a deploy (or press its Cancel button).')],
    [
      code(BRAKE_USAGE.rollback),
      text(': back to the previous successful revision, or the one named.'),
    ],
    [code(BRAKE_USAGE.history), text(' shows the last 10 deploys.')],
    [code(BRAKE_USAGE.audit), text(' shows who did what.')],
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

export function unreadableMessage(typed: string, usage?: string): ChatMessage {
  const instead = usage === undefined ? EXAMPLES : [code(usage)];
  return message(
    [
      text("I couldn't read "),
      code(`/deploy ${typed}`),
      text('. Type '),
      ...instead,
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
