import { dirname, isAbsolute, resolve } from 'node:path';

/** Paths in the catalog are relative to the catalog file. */
export function fromCatalog(file: string, path: string): string {
  return isAbsolute(path) ? path : resolve(dirname(file), path);
}
