import type { Catalog } from './catalog.js';
import { suggestNames } from './suggest.js';

export interface StatusQuery {
  services: string[];
  environments: string[];
}

export type StatusQueryResult =
  { ok: true; query: StatusQuery } | { ok: false; word: string; suggestions: string[] };

/**
 * `/status [service] [environment]`, in either order: each word names a service or an
 * environment of the catalog. Nothing named means all of them.
 */
export function parseStatusQuery(
  text: string,
  catalog: Pick<Catalog, 'services' | 'environments'>,
): StatusQueryResult {
  const services = Object.keys(catalog.services);
  const environments = Object.keys(catalog.environments);
  const chosen: StatusQuery = { services: [], environments: [] };
  for (const word of text.trim().toLowerCase().split(/\s+/).filter(Boolean)) {
    if (services.includes(word)) chosen.services.push(word);
    else if (environments.includes(word)) chosen.environments.push(word);
    else
      return { ok: false, word, suggestions: suggestNames(word, [...services, ...environments]) };
  }
  return {
    ok: true,
    query: {
      services: chosen.services.length > 0 ? chosen.services : services,
      environments: chosen.environments.length > 0 ? chosen.environments : environments,
    },
  };
}
