import { namedEntry, releaseOf } from '../../domain/catalog.js';
import type { Helm } from '../../ports/helm.js';
import type { Stage } from '../stage.js';
import { recordTested, type TestedImageOptions } from './tested-image.js';
import { cancelledBefore, cancelRequested, undoRelease } from './undo-release.js';

/**
 * Deploy: `helm upgrade --install` with the environment's values files and the new image, once
 * the tests passed and the image is in the registry. The revision deployed before is recorded
 * first, so Verify can roll back to it.
 */
export function deployStage(options: {
  helm: Helm;
  tested: TestedImageOptions;
}): Stage<'deploy', 'test' | 'build' | 'push'> {
  return {
    name: 'deploy',
    needs: ['test', 'build', 'push'],
    finishesOnCancel: true,
    async run(context, { test, build, push }) {
      if (build.reused === undefined) {
        const testedAt = test.passedAt ?? new Date().toISOString();
        await recordTested(options.tested, context, { ...push, testedAt });
      }
      const release = releaseOf(context.service, context.environment);
      const history = await options.helm.history(release);
      const previous = history.filter((revision) => revision.status === 'deployed').at(-1);
      if (cancelRequested(context)) throw cancelledBefore('deploy');
      const revision = await options.helm.upgradeInstall({
        ...release,
        chartPath: context.service.chartPath,
        valuesFiles: namedEntry(context.service.valuesFiles, context.environment.name) ?? [],
        setStrings: { 'image.repository': build.repository, 'image.tag': build.tag },
        timeoutMs: context.timeoutMs,
        signal: context.signal,
        onLine: context.log,
      });
      if (cancelRequested(context)) {
        throw await undoRelease(options.helm, context, 'deploy', previous?.revision);
      }
      return {
        output: {
          revision,
          ...(previous === undefined ? {} : { previousRevision: previous.revision }),
          image: `${build.repository}:${build.tag}`,
        },
        summary: previous
          ? `revision ${revision} (was ${previous.revision})`
          : `revision ${revision} (first install)`,
      };
    },
  };
}
