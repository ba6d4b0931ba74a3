/** An image reference split as Docker reads it. */
export interface ImageReference {
  /** registry host[:port]; docker.io when the reference names none */
  registry: string;
  /** the repository path inside the registry */
  repository: string;
  /** `:tag` or `@sha256:…`, defaulting to `:latest` */
  suffix: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Parses a reference as `docker pull` would; undefined for one Docker would call invalid. */
export function parseImageReference(image: string): ImageReference | undefined {
  const at = image.indexOf('@');
  const digest = at === -1 ? undefined : image.slice(at + 1);
  let rest = at === -1 ? image : image.slice(0, at);
  if (digest !== undefined && !DIGEST.test(digest)) return undefined;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  let tag: string | undefined;
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  const parts = rest.split('/');
  const first = parts[0] ?? '';
  const hasRegistry =
    parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first : 'docker.io';
  const path = hasRegistry ? parts.slice(1) : parts;
  if (path.length === 0 || !path.every((component) => COMPONENT.test(component))) return undefined;
  const repository =
    registry === 'docker.io' && path.length === 1 ? `library/${path.join('/')}` : path.join('/');
  const suffix = digest !== undefined ? `@${digest}` : `:${tag ?? 'latest'}`;
  return { registry, repository, suffix };
}

/** Registries on this machine: the only ones the kubelet ever contacts. */
export function isLocalRegistry(registry: string): boolean {
  const host = registry.replace(/:\d+$/, '');
  return host === '127.0.0.1' || host === 'localhost';
}

export function fullReference(reference: ImageReference): string {
  return `${reference.registry}/${reference.repository}${reference.suffix}`;
}
