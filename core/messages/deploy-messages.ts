import type { Deployers } from '../domain/catalog.js';
import type { DeployCommandOutcome, ListedService } from '../domain/command-outcomes.js';
import type { DeployRequest } from '../domain/deploy-request.js';
import type { Refusal } from '../domain/deploy-target.js';
import type { ChatMessage, Inline } from '../ports/chat-message.js';
import {
  bold,
  code,
  context,
  emoji,
  group,
  joined,
  message,
  section,
  text,
  user,
} from './inline.js';

const NOTHING_QUEUED = [text('Nothing was queued.')];

/** `/deploy hello-world`, `/deploy hello-world@v1.2.0 to production` */
const EXAMPLES = [
  code('/deploy hello-world'),
  text(', '),
  code('/deploy hello-world@v1.2.0 to production'),
];

function orList(names: readonly string[]): Inline[] {
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

function unknownServiceMessage(
  refusal: Extract<Refusal, { code: 'UNKNOWN_SERVICE' }>,
): ChatMessage {
  const hint =
    refusal.suggestions.length > 0
      ? [
          text('Did you mean '),
          ...orList(refusal.suggestions),
          text('? Try '),
          code(`/deploy ${refusal.suggestions[0] ?? ''}`),
          text('.'),
        ]
      : [
          text('The services are '),
          ...orList(refusal.known),
          text('; '),
          code('/deploy list'),
          text(' shows them.'),
        ];
  return message(
    [text('There is no service called '), code(refusal.service), text('. '), ...hint],
    NOTHING_QUEUED,
  );
}

function unknownEnvironmentMessage(
  refusal: Extract<Refusal, { code: 'UNKNOWN_ENVIRONMENT' }>,
): ChatMessage {
  const hint =
    refusal.suggestions.length > 0
      ? [text('Did you mean '), ...orList(refusal.suggestions), text('?')]
      : [text('The environments are '), ...orList(refusal.known), text('.')];
  return message(
    [text('There is no environment called '), code(refusal.environment), text('. '), ...hint],
    NOTHING_QUEUED,
  );
}

function notAuthorisedMessage(
  environment: string,
  deployers?: Pick<Deployers, 'users' | 'userGroups'>,
): ChatMessage {
  const who = [...(deployers?.users ?? []).map(user), ...(deployers?.userGroups ?? []).map(group)];
  const ask =
    who.length > 0
      ? [
          text(' Ask '),
          ...joined(
            who.map((mention) => [mention]),
            ', ',
          ),
          text(' to deploy it,'),
        ]
      : [text(' Ask a deployer,')];
  return message(
    [
      text('You are not allowed to deploy to '),
      bold(environment),
      text('.'),
      ...ask,
      text(' or ask whoever runs Harbormaster to add you to '),
      code(`environments.${environment}.deployers`),
      text('.'),
    ],
    NOTHING_QUEUED,
  );
}

export function refusalMessage(
  refusal: Refusal,
  deployers?: Pick<Deployers, 'users' | 'userGroups'>,
): ChatMessage {
  switch (refusal.code) {
    case 'UNKNOWN_SERVICE':
      return unknownServiceMessage(refusal);
    case 'UNKNOWN_ENVIRONMENT':
      return unknownEnvironmentMessage(refusal);
    case 'INVALID_REF':
      return message(
        [
          code(refusal.ref),
          text(
            ' is not a ref I can deploy. Use a branch, tag or commit made of letters, digits and ',
          ),
          code('. _ / -'),
          text(', not starting with '),
          code('-'),
          text(', e.g. '),
          code('/deploy hello-world@v1.2.0'),
          text('.'),
        ],
        NOTHING_QUEUED,
      );
    case 'NOT_AUTHORISED':
      return notAuthorisedMessage(refusal.environment, deployers);
  }
}

export function duplicateMessage(request: DeployRequest, jobId: string): ChatMessage {
  return message(
    [
      ...deployTitle(request),
      text(' is already queued (job '),
      code(jobId),
      text('); its progress is in this channel.'),
    ],
    [text('Nothing new was queued.')],
  );
}

export function queueUnavailableMessage(): ChatMessage {
  return message([
    emoji('x'),
    text(
      ' I could not queue the deploy: the deploy queue (Redis) is not answering. Nothing was queued. Try again in a minute; if it keeps failing, tell whoever runs Harbormaster.',
    ),
  ]);
}

export function authorisationUnavailableMessage(environment: string): ChatMessage {
  return message([
    emoji('x'),
    text(' I could not check whether you may deploy to '),
    bold(environment),
    text(
      ': Slack did not answer the user-group look-up. Nothing was queued; try again in a minute.',
    ),
  ]);
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

/** The private answer to anything typed after `/deploy`, except a deploy that was queued. */
export function deployCommandReply(
  outcome: Exclude<DeployCommandOutcome, { kind: 'queued' }>,
): ChatMessage {
  switch (outcome.kind) {
    case 'help':
      return helpMessage();
    case 'unreadable':
      return unreadableMessage(outcome.text);
    case 'listed':
      return listMessage(outcome);
    case 'authorisation-unavailable':
      return authorisationUnavailableMessage(outcome.environment);
    case 'refused':
      return refusalMessage(outcome.refusal, outcome.deployers);
    case 'queue-unavailable':
      return queueUnavailableMessage();
    case 'duplicate':
      return duplicateMessage(outcome.request, outcome.jobId);
  }
}
