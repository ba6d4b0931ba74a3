import { setTimeout as sleep } from 'node:timers/promises';
import { isDeployError } from '../../domain/deploy-error.js';
import type { ImageBuilder } from '../../ports/image-builder.js';
import type { Stage } from '../stage.js';
import { deleteUntested, type TestedImageOptions } from './tested-image.js';

export interface PushStageOptions {
  builder: ImageBuilder;
  credentials?: { username: string; password: string };
  /** Attempts for a transient registry failure, with doubling back-off from `backoffMs`. */
  attempts?: number;
  backoffMs?: number;
  /** Where an image pushed for a deploy that then failed its gate is deleted. */
  tested: TestedImageOptions;
}

/** Push: to the catalog's registry, retried with back-off when the registry flakes; records the digest. */
export function pushStage(options: PushStageOptions): Stage<'push', 'build'> {
  const attempts = options.attempts ?? 4;
  const backoffMs = options.backoffMs ?? 1000;
  return {
    name: 'push',
    needs: ['build'],
    skip: ({ build }) =>
      build.reused && {
        output: { digest: build.reused.digest, reference: `${build.repository}:${build.tag}` },
      },
    // Pushed alongside a test gate that failed (or a cancelled deploy): never deployable.
    discard: (context, pushed) => deleteUntested(options.tested, context, pushed),
    async run(context, { build }) {
      const reference = `${build.repository}:${build.tag}`;
      for (let attempt = 1; ; attempt += 1) {
        try {
          const { digest } = await options.builder.push({
            reference,
            ...(options.credentials ? { credentials: options.credentials } : {}),
            onLog: context.log,
            signal: context.signal,
          });
          return { output: { digest, reference }, summary: digest };
        } catch (error) {
          // A refused login or a cancel will not change on a retry; a flaky registry may.
          const transient = isDeployError(error) && error.retryable;
          if (!transient || attempt >= attempts || context.signal.aborted) throw error;
          const wait = backoffMs * 2 ** (attempt - 1);
          context.log(
            `push failed (${(error as Error).message}); retrying in ${wait} ms (attempt ${attempt + 1} of ${attempts})`,
          );
          await sleep(wait, undefined, { signal: context.signal });
        }
      }
    },
  };
}
