import { imageRepository } from '../../domain/image-reference.js';
import type { ImageBuilder } from '../../ports/image-builder.js';
import type { PipelineStage } from '../pipeline-types.js';

export interface BuildStageOptions {
  builder: ImageBuilder;
  timeoutMs: number;
  /** Docker's build network mode; `host` where the engine has no bridge network. */
  networkMode?: string;
}

/** An image tag that names what was built: the commit (or source digest), never only `latest`. */
export function imageTagFor(commit: string): string {
  return commit.startsWith('src-') ? commit : commit.slice(0, 12);
}

/** Build: the service's Dockerfile, tagged immutably, labelled with what and who. */
export function buildStage(options: BuildStageOptions): PipelineStage {
  return {
    name: 'build',
    timeoutMs: options.timeoutMs,
    async run(context) {
      const commit = context.outcome.commit ?? 'unknown';
      const repository = imageRepository(context.registry, context.service.name);
      const tag = imageTagFor(commit);
      await options.builder.build({
        contextDir: context.outcome.sourceDir ?? context.workDir,
        dockerfile: context.service.dockerfile,
        tags: [`${repository}:${tag}`],
        buildArgs: { REVISION: commit, VERSION: context.request.ref, ...context.service.buildArgs },
        labels: {
          'org.opencontainers.image.revision': commit,
          'dev.harbormaster.service': context.service.name,
          'dev.harbormaster.environment': context.environment.name,
          'dev.harbormaster.requested-by': context.request.origin.user.name,
          'dev.harbormaster.ref': context.request.ref,
        },
        ...(options.networkMode ? { networkMode: options.networkMode } : {}),
        onLog: context.log,
        signal: context.signal,
      });
      context.outcome.imageRepository = repository;
      context.outcome.imageTag = tag;
      return `${repository}:${tag}`;
    },
  };
}
