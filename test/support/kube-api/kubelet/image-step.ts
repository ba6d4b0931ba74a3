import { stringAt, type JsonObject } from '../json.js';
import type { BackOff } from './back-off.js';
import { waiting, type ContainerRecord } from './container-record.js';
import type { PulledImage } from './image-puller.js';
import { parseImageReference } from './image-reference.js';
import { pause, stopping, type PodContext } from './pod-context.js';
import { pullCredentials } from './pull-secrets.js';

/** How long ErrImagePull shows before the kubelet's next sync turns it into ImagePullBackOff. */
const SYNC_MS = 1000;

/**
 * Gets the container's image as the kubelet does: by its pull policy, with the pod's
 * imagePullSecrets; on failure ErrImagePull, then ImagePullBackOff until the back-off ends, then
 * again. Undefined when the pod is stopped first.
 */
export async function pullImage(
  ctx: PodContext,
  container: JsonObject,
  record: ContainerRecord,
  backOff: BackOff,
): Promise<PulledImage | undefined> {
  const image = record.image;
  const policy = stringAt(container, 'imagePullPolicy') ?? 'IfNotPresent';
  const registry = parseImageReference(image)?.registry ?? '';
  let warned = false;
  while (!ctx.signal.aborted) {
    const credentials = pullCredentials(ctx.api, ctx.pod, registry);
    if (credentials.missing.length > 0 && !warned) {
      warned = true;
      ctx.event(
        'Warning',
        'FailedToRetrieveImagePullSecret',
        `Unable to retrieve some image pull secrets (${credentials.missing.join(', ')}); attempting to pull the image may not succeed.`,
      );
    }
    const startedAt = Date.now();
    const outcome = await ctx.puller.ensure(image, policy, credentials.auths);
    if (stopping(ctx.signal)) return undefined;
    if (outcome.ok) {
      backOff.reset();
      record.imageId = outcome.imageId;
      if (outcome.pulled) {
        const seconds = ((Date.now() - startedAt) / 1000).toFixed(3);
        ctx.event('Normal', 'Pulling', `Pulling image "${image}"`);
        ctx.event(
          'Normal',
          'Pulled',
          `Successfully pulled image "${image}" in ${seconds}s. Image size: ${outcome.size} bytes.`,
        );
      } else {
        ctx.event('Normal', 'Pulled', `Container image "${image}" already present on machine`);
      }
      return outcome;
    }
    waiting(record, outcome.reason, outcome.message);
    ctx.event('Warning', 'Failed', `Failed to pull image "${image}": ${outcome.message}`);
    ctx.event('Warning', 'Failed', `Error: ${outcome.reason}`);
    ctx.changed();
    const delay = backOff.next();
    const shown = Math.min(SYNC_MS, delay / 2);
    if (!(await pause(shown, ctx.signal))) return undefined;
    if (outcome.reason === 'ErrImagePull') {
      waiting(
        record,
        'ImagePullBackOff',
        `Back-off pulling image "${image}": ErrImagePull: ${outcome.message}`,
      );
      ctx.event('Normal', 'BackOff', `Back-off pulling image "${image}"`);
      ctx.event('Warning', 'Failed', 'Error: ImagePullBackOff');
      ctx.changed();
    }
    if (!(await pause(delay - shown, ctx.signal))) return undefined;
  }
  return undefined;
}
