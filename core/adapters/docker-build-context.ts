import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ignoreModule from '@balena/dockerignore';
import tar from 'tar-fs';

type IgnoreFactory = typeof ignoreModule.default;
// The package is CommonJS (`module.exports = factory`) but typed as an ES default export, so
// depending on the loader the factory is the module itself or its `default`.
const dockerignore = ((ignoreModule as { default?: IgnoreFactory }).default ??
  ignoreModule) as IgnoreFactory;

/**
 * Which paths of a build context stay out of it, as docker's CLI decides: what .dockerignore
 * excludes, but never the Dockerfile or .dockerignore, which the daemon needs.
 */
export function contextIgnores(contextDir: string, dockerfile: string): (path: string) => boolean {
  const ignoreFile = join(contextDir, '.dockerignore');
  const patterns = existsSync(ignoreFile)
    ? readFileSync(ignoreFile, 'utf8')
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '' && !line.startsWith('#'))
    : [];
  const rules = dockerignore({ ignorecase: false }).add(patterns);
  const alwaysSent = new Set([dockerfile.split(sep).join('/'), '.dockerignore']);
  const hasExceptions = patterns.some((pattern) => pattern.startsWith('!'));

  return (absolutePath: string) => {
    const path = relative(contextDir, absolutePath).split(sep).join('/');
    if (path === '' || alwaysSent.has(path)) return false;
    // With "!exception" rules a file inside an ignored directory may still be wanted,
    // so directories are only pruned when there are none.
    if (hasExceptions && !rules.ignores(path) && !rules.ignores(`${path}/`)) return false;
    return rules.ignores(path);
  };
}

/**
 * The build context as docker's CLI sends it: the directory as a tar stream, less what it ignores.
 * With `dockerfileContent`, that text goes as the Dockerfile instead of any file of its name.
 */
export function packBuildContext(
  contextDir: string,
  dockerfile: string,
  dockerfileContent?: string,
): NodeJS.ReadableStream {
  const ignores = contextIgnores(contextDir, dockerfile);
  if (dockerfileContent === undefined) return asReadable(tar.pack(contextDir, { ignore: ignores }));
  const dockerfilePath = dockerfile.split(sep).join('/');
  const pack = tar.pack(contextDir, {
    ignore: (absolutePath: string) =>
      relative(contextDir, absolutePath).split(sep).join('/') === dockerfilePath ||
      ignores(absolutePath),
    finalize: false,
    finish: (packer: { entry(header: object, content: string): void; finalize(): void }) => {
      packer.entry({ name: dockerfilePath, mode: 0o644 }, dockerfileContent);
      packer.finalize();
    },
  });
  return asReadable(pack);
}

/**
 * A digest of exactly what a build would send: each file's path, mode and content, less what
 * .dockerignore excludes. The same context always gives the same digest.
 */
export function contextDigest(contextDir: string, dockerfile: string): string {
  const ignores = contextIgnores(contextDir, dockerfile);
  const hash = createHash('sha256');
  const walk = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      if (ignores(path)) continue;
      const stats = statSync(path);
      const relativePath = relative(contextDir, path).split(sep).join('/');
      if (stats.isDirectory()) walk(path);
      else if (stats.isFile()) {
        hash.update(`${relativePath}\0${(stats.mode & 0o111) === 0 ? '644' : '755'}\0`);
        hash.update(readFileSync(path)).update('\0');
      }
    }
  };
  walk(contextDir);
  return hash.digest('hex');
}

// tar-fs's Pack is a readable stream; its types predate NodeJS.ReadableStream's full shape.
function asReadable(pack: unknown): NodeJS.ReadableStream {
  return pack as NodeJS.ReadableStream;
}
