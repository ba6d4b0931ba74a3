import { imageRepository } from '../../domain/image-reference.js';
import type { ImageBuilder } from '../../ports/image-builder.js';
import type { Stage } from '../stage.js';

export interface BuildStageOptions {
  builder: ImageBuilder;
  /** Docker's build network mode; `host` where the engine has no bridge network. */
  networkMode?: string;
}

/** An image tag that names what was built: the commit (or source digest), never only `latest`. */
export function imageTagFor(commit: string): string {
  return commit.startsWith('src-') ? commit : commit.slice(0, 12);
}

/** Build: the service's Dockerfile, tagged immutably, labelled with what and who. */
export function buildStage(options: BuildStageOptions): Stage<'build', 'source'> {
  return {
    name: 'build',
    needs: ['source'],
    skip({ source }) {
      const reused = source.reusable;
      if (reused === undefined) return undefined;
      const image = `${reused.repository}:${reused.tag}`;
      return {
        output: { repository: reused.repository, tag: reused.tag, reused },
        summary: `reused ${image}`,
        note: { kind: 'reused-image', image, testedAt: reused.testedAt },
      };
    },
    async run(context, { source }) {
      const { request, service } = context;
      const repository = imageRepository(context.registry, service.name);
      const tag = imageTagFor(source.commit);
      await options.builder.build({
        contextDir: source.dir,
        dockerfile: service.dockerfile,
        tags: [`${repository}:${tag}`],
        buildArgs: { REVISION: source.commit, VERSION: request.ref, ...service.buildArgs },
        labels: {
          'org.opencontainers.image.revision': source.commit,
          'dev.harbormaster.service': service.name,
          'dev.harbormaster.environment': context.environment.name,
          'dev.harbormaster.requested-by': request.origin.user.name,
          'dev.harbormaster.ref': request.ref,
        },
        ...(options.networkMode ? { networkMode: options.networkMode } : {}),
        onLog: context.log,
        signal: context.signal,
      });
      return { output: { repository, tag }, summary: `${repository}:${tag}` };
    },
  };
}
