import type { Catalog, ServiceConfig } from './catalog.js';
import { refFormatProblem, type RefProblem } from './git-ref.js';
import { refDenial, type RefDenial } from './ref-policy.js';

/** A ref that is not a git ref at all. */
export interface InvalidRefRefusal {
  code: 'INVALID_REF';
  service: string;
  ref: string;
  problem: RefProblem;
}

/** A ref the environment does not take from that service (core/domain/ref-policy.ts). */
export interface RefNotTakenRefusal {
  code: 'REF_NOT_TAKEN';
  service: string;
  ref: string;
  environment: string;
  denial: RefDenial;
  /** The environment's `refs` patterns. */
  patterns: readonly string[];
  /** Whether a ref was typed, or the service's default ref was used. */
  typed: boolean;
  /** Other environments that would take this ref of this service. */
  takenBy: string[];
}

export function invalidRef(service: string, ref: string): InvalidRefRefusal | undefined {
  const problem = refFormatProblem(ref);
  return problem === undefined ? undefined : { code: 'INVALID_REF', service, ref, problem };
}

/** Refuses a ref the environment does not take; undefined when it does. */
export function refNotTaken(
  catalog: Pick<Catalog, 'environments'>,
  service: Pick<ServiceConfig, 'name' | 'source'>,
  environment: string,
  ref: string,
  typed: boolean,
): RefNotTakenRefusal | undefined {
  const config = catalog.environments[environment];
  if (config === undefined) return undefined;
  const denial = refDenial(service.source, config, ref, typed);
  if (denial === undefined) return undefined;
  const takenBy = Object.values(catalog.environments)
    .filter((other) => other.name !== environment)
    .filter((other) => refDenial(service.source, other, ref, typed) === undefined)
    .map((other) => other.name);
  return {
    code: 'REF_NOT_TAKEN',
    service: service.name,
    ref,
    environment,
    denial,
    patterns: config.refs,
    typed,
    takenBy,
  };
}
