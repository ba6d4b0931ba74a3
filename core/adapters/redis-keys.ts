/**
 * Where an installation keeps its keys in Redis: under its queue's name, so that two
 * Harbormasters (or two test suites) sharing a Redis never read each other's locks or history.
 */
export function keyPrefix(namespace: string): string {
  return `harbormaster:${namespace}:`;
}

/** Parses stored JSON; undefined for anything that is not JSON. */
export function parseStored(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
