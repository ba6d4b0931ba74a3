import type Docker from 'dockerode';
import { isLocalRegistry, parseImageReference, fullReference } from './image-reference.js';
import type { RegistryAuth } from './pull-secrets.js';

export interface PulledImage {
  ok: true;
  /** The engine's image id, for creating the container. */
  id: string;
  /** What containerStatuses[].imageID shows: repo@sha256:… when the image came from a registry. */
  imageId: string;
  /** Whether this call pulled it (else it was already present on the node). */
  pulled: boolean;
  size: number;
  /** The image's USER, for runAsNonRoot. */
  user: string;
}

export interface PullFailure {
  ok: false;
  reason: 'ErrImagePull' | 'InvalidImageName' | 'ErrImageNeverPull';
  message: string;
}

interface DockerError {
  statusCode?: number;
  json?: { message?: string };
  message?: string;
}

function dockerMessage(error: unknown): { status: number | undefined; text: string } {
  const found = error as DockerError;
  const text = found.json?.message ?? found.message ?? String(error);
  return { status: found.statusCode, text: text.trim() };
}

/**
 * Pulls images into the test Docker Engine as a node's container runtime would. Only registries on
 * this machine are contacted; an image from anywhere else runs only if the engine already has it.
 * The engine is shared with the image builder, so "present on the node" means pulled by this
 * kubelet: a node never sees the builder's images.
 */
export class ImagePuller {
  private readonly pulledHere = new Set<string>();
  private readonly inFlight = new Map<string, Promise<PulledImage | PullFailure>>();

  constructor(private readonly docker: Docker) {}

  /** The image, pulled if the policy says so; one look-up at a time per image, shared by every pod. */
  ensure(image: string, policy: string, auths: RegistryAuth[]): Promise<PulledImage | PullFailure> {
    const key = [image, policy, ...auths.map((auth) => `${auth.username}:${auth.password}`)].join(
      '\n',
    );
    let found = this.inFlight.get(key);
    if (found === undefined) {
      found = this.resolve(image, policy, auths).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, found);
    }
    return found;
  }

  private async resolve(
    image: string,
    policy: string,
    auths: RegistryAuth[],
  ): Promise<PulledImage | PullFailure> {
    const reference = parseImageReference(image);
    if (reference === undefined) {
      return {
        ok: false,
        reason: 'InvalidImageName',
        message: `Failed to apply default image tag "${image}": couldn't parse image name "${image}": invalid reference format`,
      };
    }
    const ref = fullReference(reference);
    const local = isLocalRegistry(reference.registry);
    const present = local && policy !== 'Never' ? this.pulledHere.has(ref) : true;
    if (present && policy !== 'Always') {
      const found = await this.inspect(ref, image);
      if (found !== undefined) return found;
    }
    if (policy === 'Never') {
      return {
        ok: false,
        reason: 'ErrImageNeverPull',
        message: `Container image "${image}" is not present with pull policy of Never`,
      };
    }
    if (!local) {
      const found = await this.inspect(ref, image);
      if (found !== undefined) return found;
      return this.failure(
        ref,
        `failed to resolve reference "${ref}": ${reference.registry} is not on this machine, and the kube-api double pulls only from registries on 127.0.0.1 or localhost`,
        'NotFound',
      );
    }
    return this.pull(ref, image, auths);
  }

  private async pull(
    ref: string,
    image: string,
    auths: RegistryAuth[],
  ): Promise<PulledImage | PullFailure> {
    let last: { status: number | undefined; text: string } = { status: undefined, text: '' };
    // Each credential the pod's secrets hold for the registry, in order; anonymously when none.
    for (const auth of auths.length > 0 ? auths : [undefined]) {
      try {
        const stream = await this.docker.pull(ref, auth === undefined ? {} : { authconfig: auth });
        await new Promise<void>((resolve, reject) => {
          this.docker.modem.followProgress(stream, (error: Error | null, output: unknown[]) => {
            const failed = output.find(
              (entry): entry is { error: string } =>
                typeof entry === 'object' && entry !== null && 'error' in entry,
            );
            if (error !== null) reject(error);
            else if (failed !== undefined) reject(new Error(failed.error));
            else resolve();
          });
        });
        this.pulledHere.add(ref);
        const found = await this.inspect(ref, image);
        if (found !== undefined) return { ...found, pulled: true };
        last = { status: 404, text: `${ref}: not found after pulling` };
      } catch (error) {
        last = dockerMessage(error);
      }
    }
    return this.failure(ref, last.text, last.status === 404 ? 'NotFound' : 'Unknown');
  }

  private failure(ref: string, text: string, code: string): PullFailure {
    return {
      ok: false,
      reason: 'ErrImagePull',
      message: `rpc error: code = ${code} desc = failed to pull and unpack image "${ref}": ${text}`,
    };
  }

  private async inspect(ref: string, image: string): Promise<PulledImage | undefined> {
    try {
      const info = await this.docker.getImage(ref).inspect();
      const repository = ref.replace(/[:@][^/]*$/, '');
      const digest = info.RepoDigests.find((entry) => entry.startsWith(`${repository}@`));
      return {
        ok: true,
        id: info.Id,
        imageId: digest ?? info.Id,
        pulled: false,
        size: info.Size,
        user: info.Config.User,
      };
    } catch {
      // docker.io/library/x is stored as x: look it up as the pod wrote it too.
      if (image === ref) return undefined;
      return this.inspect(image, image);
    }
  }
}
