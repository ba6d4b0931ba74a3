import { createHash } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { SourceTree, Stage, StageContext } from '../stage.js';
import { fetchGitRef, type GitSourceOptions } from './git-source.js';

const NOT_SOURCE = new Set(['node_modules', '.git']);

/** A digest of a directory's files: the same sources always give the same immutable image tag. */
export function digestOf(dir: string): string {
  const hash = createHash('sha256');
  const walk = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      if (NOT_SOURCE.has(name)) continue;
      const path = join(current, name);
      const stats = statSync(path);
      if (stats.isDirectory()) walk(path);
      else if (stats.isFile()) {
        hash
          .update(relative(dir, path).split(sep).join('/'))
          .update('\0')
          .update(readFileSync(path))
          .update('\0');
      }
    }
  };
  walk(dir);
  return hash.digest('hex');
}

function copyDirectory(context: StageContext, path: string, target: string) {
  cpSync(path, target, {
    recursive: true,
    filter: (entry) => !NOT_SOURCE.has(entry.split(sep).at(-1) ?? ''),
  });
  const digest = digestOf(target).slice(0, 12);
  context.log(`copied ${path} (source digest ${digest})`);
  return { output: { dir: target, commit: `src-${digest}` }, summary: `local source ${digest}` };
}

/**
 * Source: a fresh copy of the service's directory, or a shallow fetch of the requested ref from
 * its git URL. Either way the deploy works on its own tree and records what it deploys.
 */
export function sourceStage(options: GitSourceOptions): Stage<'source', never> {
  return {
    name: 'source',
    needs: [],
    run(context): Promise<{ output: SourceTree; summary: string }> {
      const target = join(context.workDir, 'source');
      const { source } = context.service;
      if (source.kind === 'path')
        return Promise.resolve(copyDirectory(context, source.path, target));
      return fetchGitRef(options, context, source.url, target);
    },
  };
}
