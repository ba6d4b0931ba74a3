import type { ImageRegistry, RegistryCredentials } from '../ports/image-registry.js';

/** Every manifest kind docker pushes or a registry may hold: without them a HEAD may 404. */
const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
].join(', ');

const REQUEST_MS = 15_000;

/** `host[:port]/path/name:tag` → the registry's base URL, the repository's name and the tag. */
export function parseReference(reference: string): { base: string; name: string; tag: string } {
  const slash = reference.indexOf('/');
  const host = reference.slice(0, slash);
  const rest = reference.slice(slash + 1);
  const colon = rest.lastIndexOf(':');
  if (slash <= 0 || colon <= 0) throw new Error(`not an image reference: ${reference}`);
  return { base: baseUrl(host), name: rest.slice(0, colon), tag: rest.slice(colon + 1) };
}

/** Docker speaks plain HTTP only to loopback registries unless told otherwise; so do we. */
function baseUrl(host: string): string {
  const hostname = host.replace(/:\d+$/, '');
  const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(hostname);
  return `${loopback ? 'http' : 'https'}://${host}/v2/`;
}

function basic(credentials: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

/** A Bearer challenge's token, fetched with the credentials (registries with a token service). */
async function bearerToken(challenge: string, credentials?: RegistryCredentials) {
  const fields: Record<string, string | undefined> = Object.fromEntries(
    [...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1] ?? '', match[2] ?? '']),
  );
  if (fields.realm === undefined) return undefined;
  const url = new URL(fields.realm);
  if (fields.service !== undefined) url.searchParams.set('service', fields.service);
  if (fields.scope !== undefined) url.searchParams.set('scope', fields.scope);
  const response = await fetch(url, {
    headers: credentials ? { authorization: basic(credentials) } : {},
    signal: AbortSignal.timeout(REQUEST_MS),
  });
  if (!response.ok) return undefined;
  const body = (await response.json()) as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  return token === undefined ? undefined : `Bearer ${token}`;
}

/** One request, answering a Basic challenge with Basic and a Bearer one with its token. */
async function send(url: string, method: string, credentials?: RegistryCredentials) {
  const request = (authorization?: string) =>
    fetch(url, {
      method,
      headers: { accept: MANIFEST_TYPES, ...(authorization ? { authorization } : {}) },
      signal: AbortSignal.timeout(REQUEST_MS),
    });
  const first = await request(credentials ? basic(credentials) : undefined);
  const challenge = first.headers.get('www-authenticate') ?? '';
  if (first.status !== 401 || !/^bearer /i.test(challenge)) return first;
  const token = await bearerToken(challenge, credentials);
  return token === undefined ? first : request(token);
}

/** The registry HTTP API v2 (distribution), as docker's registries and the Debian one serve it. */
export class RegistryApi implements ImageRegistry {
  async manifestDigest(
    reference: string,
    credentials?: RegistryCredentials,
  ): Promise<string | undefined> {
    const { base, name, tag } = parseReference(reference);
    const response = await send(`${base}${name}/manifests/${tag}`, 'HEAD', credentials);
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`the registry answered ${response.status} for ${reference}`);
    return response.headers.get('docker-content-digest') ?? undefined;
  }

  async deleteManifest(
    repository: string,
    digest: string,
    credentials?: RegistryCredentials,
  ): Promise<void> {
    const { base, name } = parseReference(`${repository}:${digest.replace(':', '-')}`);
    const response = await send(`${base}${name}/manifests/${digest}`, 'DELETE', credentials);
    // Gone already is what was asked for.
    if (response.ok || response.status === 404) return;
    throw new Error(
      `the registry refused to delete ${repository}@${digest}: ${response.status}${response.status === 405 ? ' (deletes are not enabled)' : ''}`,
    );
  }
}
