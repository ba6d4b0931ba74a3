import type { Helm } from '../../ports/helm.js';
import type { PipelineStage, StageContext } from '../pipeline-types.js';

export function releaseOf(context: StageContext) {
  return {
    release: context.service.release,
    namespace: context.environment.namespace,
    ...(context.environment.kubeContext ? { kubeContext: context.environment.kubeContext } : {}),
  };
}

/**
 * Deploy: `helm upgrade --install` with the environment's values files and the new image. The
 * revision deployed before is recorded first, so Verify can roll back to it.
 */
export function deployStage(options: { helm: Helm; timeoutMs: number }): PipelineStage {
  return {
    name: 'deploy',
    timeoutMs: options.timeoutMs,
    async run(context) {
      const release = releaseOf(context);
      const history = await options.helm.history(release);
      const previous = history.filter((revision) => revision.status === 'deployed').at(-1);
      if (previous) context.outcome.previousRevision = previous.revision;
      const revision = await options.helm.upgradeInstall({
        ...release,
        chartPath: context.service.chartPath,
        valuesFiles: context.service.valuesFiles[context.environment.name] ?? [],
        setStrings: {
          'image.repository': context.outcome.imageRepository ?? '',
          'image.tag': context.outcome.imageTag ?? '',
        },
        timeoutMs: options.timeoutMs,
        signal: context.signal,
        onLine: context.log,
      });
      context.outcome.revision = revision;
      return previous
        ? `revision ${revision} (was ${previous.revision})`
        : `revision ${revision} (first install)`;
    },
  };
}
