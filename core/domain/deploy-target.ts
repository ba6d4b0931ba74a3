import { environmentNamed, serviceNamed, type Catalog } from './catalog.js';
import {
  invalidRef,
  refNotTaken,
  type InvalidRefRefusal,
  type RefNotTakenRefusal,
} from './ref-refusal.js';
import { suggestNames } from './suggest.js';

export interface DeployTarget {
  service: string;
  ref: string;
  environment: string;
}

/** Why a deploy command is refused before anything is queued; messages are built from these. */
export type Refusal =
  | { code: 'UNKNOWN_SERVICE'; service: string; suggestions: string[]; known: string[] }
  | { code: 'UNKNOWN_ENVIRONMENT'; environment: string; suggestions: string[]; known: string[] }
  | InvalidRefRefusal
  | RefNotTakenRefusal
  /** A word where a name goes that no catalog can hold: not a lower-case DNS label. */
  | { code: 'INVALID_NAME'; what: 'service' | 'environment'; name: string; suggestions: string[] }
  | { code: 'NOT_AUTHORISED'; environment: string };

export type Resolution = { ok: true; target: DeployTarget } | { ok: false; refusal: Refusal };

/** The environment a command without `to <environment>` deploys to: the catalog's first. */
export function defaultEnvironment(catalog: Pick<Catalog, 'environments'>): string | undefined {
  return Object.keys(catalog.environments)[0];
}

function unknownService(
  catalog: Pick<Catalog, 'services'>,
  service: string,
): { ok: false; refusal: Refusal } {
  const services = Object.keys(catalog.services);
  return {
    ok: false,
    refusal: {
      code: 'UNKNOWN_SERVICE',
      service,
      suggestions: suggestNames(service, services),
      known: services,
    },
  };
}

/**
 * A service and an environment checked against the catalog, with no ref: what a rollback, a lock
 * or the history names (the environment defaults as a deploy's).
 */
export function resolveServiceTarget(
  catalog: Pick<Catalog, 'services' | 'environments'>,
  command: { service: string; environment?: string },
):
  { ok: true; target: { service: string; environment: string } } | { ok: false; refusal: Refusal } {
  if (!serviceNamed(catalog, command.service)) return unknownService(catalog, command.service);
  const environments = Object.keys(catalog.environments);
  const environment = command.environment ?? defaultEnvironment(catalog) ?? '';
  if (environmentNamed(catalog, environment) === undefined) {
    return {
      ok: false,
      refusal: {
        code: 'UNKNOWN_ENVIRONMENT',
        environment,
        suggestions: suggestNames(environment, environments),
        known: environments,
      },
    };
  }
  return { ok: true, target: { service: command.service, environment } };
}

/** Checks a parsed command against the catalog: the service, the ref, the environment. */
export function resolveDeployTarget(
  catalog: Pick<Catalog, 'services' | 'environments'>,
  command: { service: string; ref?: string; environment?: string },
): Resolution {
  const service = serviceNamed(catalog, command.service);
  if (!service) return unknownService(catalog, command.service);
  const ref = command.ref ?? service.defaultRef;
  const invalid = invalidRef(command.service, ref);
  if (invalid) return { ok: false, refusal: invalid };
  const resolved = resolveServiceTarget(catalog, command);
  if (!resolved.ok) return resolved;
  const { environment } = resolved.target;
  const notTaken = refNotTaken(catalog, service, environment, ref, command.ref !== undefined);
  if (notTaken) return { ok: false, refusal: notTaken };
  return { ok: true, target: { service: command.service, ref, environment } };
}
