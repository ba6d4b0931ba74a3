import type { ImageRegistry } from '../../../core/ports/image-registry.js';
import type { TestedImageRecord, TestedImages } from '../../../core/ports/tested-images.js';

/** A registry's manifests in memory: what `FakeImageBuilder` pushed, by reference and digest. */
export class FakeImageRegistry implements ImageRegistry {
  readonly manifests = new Map<string, string>();
  readonly deleted: string[] = [];

  manifestDigest(reference: string): Promise<string | undefined> {
    return Promise.resolve(this.manifests.get(reference));
  }

  deleteManifest(repository: string, digest: string): Promise<void> {
    for (const [reference, stored] of this.manifests) {
      if (stored === digest && reference.startsWith(`${repository}:`)) {
        this.manifests.delete(reference);
      }
    }
    this.deleted.push(`${repository}@${digest}`);
    return Promise.resolve();
  }
}

/** Tested images in memory. */
export class FakeTestedImages implements TestedImages {
  readonly records = new Map<string, TestedImageRecord>();

  record(reference: string, record: TestedImageRecord): Promise<void> {
    this.records.set(reference, record);
    return Promise.resolve();
  }

  find(reference: string): Promise<TestedImageRecord | undefined> {
    return Promise.resolve(this.records.get(reference));
  }

  forget(reference: string): Promise<void> {
    this.records.delete(reference);
    return Promise.resolve();
  }
}
