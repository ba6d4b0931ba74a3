import type { InvalidRefRefusal, RefNotTakenRefusal } from '../domain/ref-refusal.js';
import type { ChatMessage, Inline } from '../ports/chat-message.js';
import { NOTHING_QUEUED, orList } from './deploy-messages.js';
import { bold, code, joined, message, text } from './inline.js';

/** `/deploy hello-world@<ref> to production` */
function command(service: string, environment: string, ref?: string): Inline {
  return code(`/deploy ${service}${ref === undefined ? '' : `@${ref}`} to ${environment}`);
}

export function invalidRefMessage(refusal: InvalidRefRefusal): ChatMessage {
  return message(
    [
      code(refusal.ref),
      text(' is not a ref I can deploy: '),
      ...refusal.problem.map((part) => ('code' in part ? code(part.code) : text(part.text))),
      text('. Type a branch, tag or commit, e.g. '),
      code(`/deploy ${refusal.service}@v1.2.0`),
      text('.'),
    ],
    NOTHING_QUEUED,
  );
}

function patternsOf(refusal: RefNotTakenRefusal): Inline[] {
  return orList(refusal.patterns);
}

/** A ref outside refs/heads and refs/tags (a pull request's), which no pattern named. */
function hiddenContent(refusal: RefNotTakenRefusal): Inline[] {
  const { service, ref, environment } = refusal;
  const pull = ref.startsWith('refs/pull/');
  return [
    code(ref),
    text(pull ? " is a pull request's ref, and " : ' is neither a branch nor a tag, and '),
    bold(environment),
    text(' takes one only when a pattern of '),
    code(`environments.${environment}.refs`),
    text(' names it (such as '),
    code(pull ? 'refs/pull/*' : ref),
    text('). Deploy its branch instead: '),
    command(service, environment, '<branch>'),
    text('.'),
  ];
}

/** Why, for each kind of denial, with what to type instead. */
function denialContent(refusal: RefNotTakenRefusal): Inline[] {
  const { service, ref, environment } = refusal;
  const where = bold(environment);
  switch (refusal.denial) {
    case 'path-source':
      return [
        code(service),
        text(' is deployed from a directory ('),
        code(`services.${service}.source.path`),
        text('), which has no branches, tags or commits, so '),
        code(`@${ref}`),
        text(' names nothing. Type '),
        command(service, environment),
        text(' to deploy the directory as it is.'),
      ];
    case 'commit':
      return [
        where,
        text(' does not take commits, and '),
        code(ref),
        text(' is a commit id. Deploy a branch or tag matching '),
        ...patternsOf(refusal),
        text(', or ask whoever runs Harbormaster to set '),
        code(`environments.${environment}.allowCommits: true`),
        text('.'),
      ];
    case 'hidden':
      return hiddenContent(refusal);
    case 'pattern':
      return [
        where,
        text(' takes only refs matching '),
        ...patternsOf(refusal),
        ...(refusal.typed
          ? [text(', and '), code(ref), text(' is not one.')]
          : [
              text(', and the default ref of '),
              code(service),
              text(', '),
              code(ref),
              text(', is not one.'),
            ]),
        text(' Type '),
        command(service, environment, '<ref>'),
        text(' with a ref that matches.'),
      ];
  }
}

/** Where else the same ref would go, when somewhere would. */
function elsewhere(refusal: RefNotTakenRefusal): Inline[] {
  if (refusal.takenBy.length === 0 || refusal.denial === 'path-source') return [];
  const ref = refusal.typed ? refusal.ref : undefined;
  return [
    text(' It can go to '),
    ...joined(
      refusal.takenBy.map((name) => [
        bold(name),
        text(' ('),
        command(refusal.service, name, ref),
        text(')'),
      ]),
      ', ',
    ),
    text('.'),
  ];
}

export function refNotTakenMessage(refusal: RefNotTakenRefusal): ChatMessage {
  return message([...denialContent(refusal), ...elsewhere(refusal)], NOTHING_QUEUED);
}
