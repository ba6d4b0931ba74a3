import { nameOf } from './names.js';

/**
 * The brakes and the rear-view mirror, as typed after `/deploy`: lock, unlock, locks, cancel,
 * rollback, history, audit. Understood here, checked against the catalog by the use cases.
 */

/** A service, and an environment when one is named (else the catalog's first). */
export interface CommandTarget {
  service: string;
  environment?: string;
}

export type BrakeCommand =
  | ({ kind: 'lock'; reason: string } & CommandTarget)
  | ({ kind: 'unlock'; force: boolean } & CommandTarget)
  | { kind: 'locks' }
  | { kind: 'cancel'; deployId: string }
  | ({ kind: 'rollback'; revision?: number } & CommandTarget)
  | ({ kind: 'history' } & CommandTarget)
  | { kind: 'audit'; subject: { service: string } | { person: string } };

/** A brake command that could not be read, with the form it should take. */
export interface BrakeUsage {
  kind: 'unreadable';
  text: string;
  usage: string;
}

export const BRAKE_USAGE = {
  lock: '/deploy lock <service> [to <environment>] <reason>',
  unlock: '/deploy unlock <service> [to <environment>] [--force]',
  locks: '/deploy locks',
  cancel: '/deploy cancel <deploy-id>',
  rollback: '/deploy rollback <service> [to <environment>] [revision]',
  history: '/deploy history <service> [environment]',
  audit: '/deploy audit <service> | /deploy audit @person',
} as const;

type Verb = keyof typeof BRAKE_USAGE;

/** A job id as the queue makes them: `deploy-<trigger id>`, letters, digits and `._-`. */
export const DEPLOY_ID = /^[A-Za-z0-9._-]{1,200}$/;
/** A person as Slack writes a mention (`<@U123|alice>`, `<@U123>`) or as a bare user id. */
const PERSON = /^<@([UW][A-Z0-9]{2,})(\|[^>]*)?>$|^([UW][A-Z0-9]{2,})$/;
const REASON_LIMIT = 300;

/** `<service> [to <environment>]` at the start of `words`, and what follows. */
function takeTarget(words: readonly string[]) {
  const [first, second, third, ...rest] = words;
  const service = first === undefined ? undefined : nameOf(first);
  if (!service?.ok) return undefined;
  if (second?.toLowerCase() === 'to' && third !== undefined) {
    const environment = nameOf(third);
    if (!environment.ok) return undefined;
    return { target: { service: service.name, environment: environment.name }, rest };
  }
  return { target: { service: service.name }, rest: words.slice(1) };
}

function parseRevision(words: readonly string[]): number | undefined | 'bad' {
  const [first, second, ...extra] = words;
  if (first === undefined) return undefined;
  const digits = first.toLowerCase() === 'revision' && extra.length === 0 ? second : first;
  if (digits === undefined || (digits === first && second !== undefined)) return 'bad';
  return /^[1-9][0-9]{0,8}$/.test(digits) ? Number(digits) : 'bad';
}

function parseVerb(verb: Verb, words: readonly string[]): BrakeCommand | undefined {
  if (verb === 'locks') return words.length === 0 ? { kind: 'locks' } : undefined;
  if (verb === 'cancel') {
    const [id, ...rest] = words;
    return id !== undefined && rest.length === 0 && DEPLOY_ID.test(id)
      ? { kind: 'cancel', deployId: id }
      : undefined;
  }
  if (verb === 'audit') {
    const [subject, ...rest] = words;
    if (subject === undefined || rest.length > 0) return undefined;
    const person = PERSON.exec(subject);
    if (person) return { kind: 'audit', subject: { person: person[1] ?? person[3] ?? '' } };
    const service = nameOf(subject);
    return service.ok ? { kind: 'audit', subject: { service: service.name } } : undefined;
  }
  const taken = takeTarget(words);
  if (taken === undefined) return undefined;
  const { target, rest } = taken;
  switch (verb) {
    case 'lock': {
      const reason = rest.join(' ').trim();
      if (reason === '' || reason.length > REASON_LIMIT) return undefined;
      return { kind: 'lock', ...target, reason };
    }
    case 'unlock': {
      const force = rest.some((word) => word.toLowerCase() === '--force');
      if (rest.some((word) => word.toLowerCase() !== '--force')) return undefined;
      return { kind: 'unlock', ...target, force };
    }
    case 'rollback': {
      const revision = parseRevision(rest);
      if (revision === 'bad') return undefined;
      return { kind: 'rollback', ...target, ...(revision === undefined ? {} : { revision }) };
    }
    case 'history': {
      if (target.environment !== undefined && rest.length === 0)
        return { kind: 'history', ...target };
      const [environmentWord, ...extra] = rest;
      if (extra.length > 0) return undefined;
      if (environmentWord === undefined) return { kind: 'history', ...target };
      const environment = nameOf(environmentWord);
      return environment.ok
        ? { kind: 'history', ...target, environment: environment.name }
        : undefined;
    }
  }
}

/**
 * A brake command, when the first word names one; undefined otherwise (the words are then read
 * as a deploy). A brake verb with words it cannot read answers the form it takes.
 */
export function parseBrakeCommand(
  words: readonly string[],
  text: string,
): BrakeCommand | BrakeUsage | undefined {
  const [first, ...rest] = words;
  const verb = first?.toLowerCase();
  // Own keys only: `constructor` is no verb.
  if (verb === undefined || !Object.hasOwn(BRAKE_USAGE, verb)) return undefined;
  const command = parseVerb(verb as Verb, rest);
  return command ?? { kind: 'unreadable', text, usage: BRAKE_USAGE[verb as Verb] };
}
