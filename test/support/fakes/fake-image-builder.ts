import { createHash } from 'node:crypto';
import type { FakeImageRegistry } from './fake-image-registry.js';
import type { DeployError } from '../../../core/domain/deploy-error.js';
import type { BuildRequest, ImageBuilder, PushRequest } from '../../../core/ports/image-builder.js';

/** Builds and pushes in memory; a push answers a digest of the reference, as a registry would. */
export class FakeImageBuilder implements ImageBuilder {
  readonly builds: BuildRequest[] = [];
  readonly pushes: PushRequest[] = [];
  readonly removed: string[] = [];
  private readonly pushFailures: DeployError[] = [];

  /** A registry that holds what is pushed, when given. */
  constructor(private readonly registry?: FakeImageRegistry) {}

  /** The next pushes fail with these, in order. */
  failPushes(...errors: DeployError[]): void {
    this.pushFailures.push(...errors);
  }

  build(request: BuildRequest): Promise<{ imageId: string }> {
    this.builds.push(request);
    request.onLog?.(`Successfully tagged ${request.tags.join(', ')}`);
    return Promise.resolve({ imageId: `sha256:${digest(request.tags.join(','))}` });
  }

  push(request: PushRequest): Promise<{ digest: string }> {
    this.pushes.push(request);
    const failure = this.pushFailures.shift();
    if (failure !== undefined) return Promise.reject(failure);
    // Each push makes a new image, as a build with a new creation time would.
    const pushed = `sha256:${digest(`${request.reference}#${this.pushes.length}`)}`;
    this.registry?.manifests.set(request.reference, pushed);
    return Promise.resolve({ digest: pushed });
  }

  contextDigest(contextDir: string, dockerfile: string): Promise<string> {
    return Promise.resolve(digest(`${contextDir}\0${dockerfile}`));
  }

  remove(reference: string): Promise<void> {
    this.removed.push(reference);
    return Promise.resolve();
  }
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
