import { createHash } from 'node:crypto';
import type { ServiceConfig } from '../../domain/catalog.js';
import { imageRepository } from '../../domain/image-reference.js';
import type { ImageRegistry, RegistryCredentials } from '../../ports/image-registry.js';
import type { TestedImages } from '../../ports/tested-images.js';
import type { StageContext, TestedImage } from '../stage.js';
import { imageTagFor } from './build-stage.js';

/** Where a deploy learns which images passed the gate, and whether they are still there. */
export interface TestedImageOptions {
  registryApi: ImageRegistry;
  testedImages: TestedImages;
  credentials?: RegistryCredentials;
}

/**
 * What, besides the source, decides whether an image passes: the gate's settings and how the
 * image is built. A change to any of them means the earlier pass says nothing about this one.
 */
export function gateDigest(service: ServiceConfig): string {
  const { test, dockerfile, buildArgs } = service;
  return createHash('sha256').update(JSON.stringify({ test, dockerfile, buildArgs })).digest('hex');
}

/**
 * The image of this source that passed the gate, if it did and the registry still has that very
 * manifest; undefined when the deploy asked to rebuild. Any doubt (no record, another gate,
 * another digest, a registry that does not answer) means building and testing again.
 */
export async function findReusable(
  options: TestedImageOptions,
  context: StageContext,
  commit: string,
): Promise<TestedImage | undefined> {
  if (context.request.rebuild === true) {
    context.log('--rebuild: testing, building and pushing again');
    return undefined;
  }
  const repository = imageRepository(context.registry, context.service.name);
  const tag = imageTagFor(commit);
  const reference = `${repository}:${tag}`;
  const record = await options.testedImages.find(reference).catch((error: unknown) => {
    context.log(`could not read whether ${reference} passed the gate: ${(error as Error).message}`);
    return undefined;
  });
  if (record === undefined || record.gate !== gateDigest(context.service)) return undefined;
  const digest = await options.registryApi
    .manifestDigest(reference, options.credentials)
    .catch((error: unknown) => {
      context.log(`could not look ${reference} up in the registry: ${(error as Error).message}`);
      return undefined;
    });
  if (digest !== record.digest) {
    context.log(`${reference} is no longer the image that passed the gate: building it again`);
    return undefined;
  }
  context.log(`${reference} (${digest}) passed the gate at ${record.testedAt}: reusing it`);
  return { repository, tag, digest, testedAt: record.testedAt };
}

/** The image pushed and its gate passed: later deploys of the same source may reuse it. */
export async function recordTested(
  options: TestedImageOptions,
  context: StageContext,
  image: { reference: string; digest: string; testedAt: string },
): Promise<void> {
  await options.testedImages
    .record(image.reference, {
      digest: image.digest,
      testedAt: image.testedAt,
      gate: gateDigest(context.service),
    })
    .catch((error: unknown) => {
      context.log(`could not record that ${image.reference} passed: ${(error as Error).message}`);
    });
}

/**
 * An image whose gate did not pass: deleted from the registry by its digest, never deployable.
 * The very image an earlier gate passed (a rebuild from cache) may be running: it stays, but is
 * no longer trusted, so the next deploy tests it again.
 */
export async function deleteUntested(
  options: TestedImageOptions,
  context: StageContext,
  image: { reference: string; digest: string },
): Promise<void> {
  const { reference } = image;
  const repository = reference.slice(0, reference.lastIndexOf(':'));
  const earlier = await options.testedImages.find(reference);
  await options.testedImages.forget(reference);
  if (earlier?.digest === image.digest) {
    context.log(`kept ${reference}: an earlier gate passed this very image, which may be running`);
    return;
  }
  await options.registryApi.deleteManifest(repository, image.digest, options.credentials);
  context.log(`deleted ${reference} (${image.digest}) from the registry: it did not pass the gate`);
}
