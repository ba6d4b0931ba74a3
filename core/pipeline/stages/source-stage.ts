import { cpSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { ImageBuilder } from '../../ports/image-builder.js';
import type { SourceTree, Stage, StageContext } from '../stage.js';
import { fetchGitRef, type GitSourceOptions } from './git-source.js';
import { findReusable, type TestedImageOptions } from './tested-image.js';

const NOT_SOURCE = new Set(['node_modules', '.git']);

export interface SourceStageOptions extends GitSourceOptions {
  /** Digests a directory's build context, as the builder would send it. */
  builder: Pick<ImageBuilder, 'contextDigest'>;
  /** Where an image of the same source that passed the gate is found. */
  tested: TestedImageOptions;
}

async function copyDirectory(
  options: SourceStageOptions,
  context: StageContext,
  path: string,
  target: string,
) {
  cpSync(path, target, {
    recursive: true,
    filter: (entry) => !NOT_SOURCE.has(entry.split(sep).at(-1) ?? ''),
  });
  const digest = (await options.builder.contextDigest(target, context.service.dockerfile)).slice(
    0,
    12,
  );
  context.log(`copied ${path} (build context digest ${digest})`);
  return { output: { dir: target, commit: `src-${digest}` }, summary: `local source ${digest}` };
}

/**
 * Source: a fresh copy of the service's directory, or a shallow fetch of the requested ref from
 * its git URL. Either way the deploy works on its own tree and records what it deploys: the
 * commit, or a digest of the build context. An image of it that passed the gate before and is
 * still in the registry is handed on as reusable (`--rebuild` asks not to).
 */
export function sourceStage(options: SourceStageOptions): Stage<'source', never> {
  return {
    name: 'source',
    needs: [],
    async run(context): Promise<{ output: SourceTree; summary: string }> {
      const target = join(context.workDir, 'source');
      const { source } = context.service;
      const tree =
        source.kind === 'path'
          ? await copyDirectory(options, context, source.path, target)
          : await fetchGitRef(options, context, source.url, target);
      const reusable = await findReusable(options.tested, context, tree.output.commit);
      if (reusable === undefined) return tree;
      return { ...tree, output: { ...tree.output, reusable } };
    },
  };
}
