import type { RegistryConfig } from './catalog.js';

/** registry-host[/prefix]/service: where a service's images live. */
export function imageRepository(
  registry: Pick<RegistryConfig, 'host' | 'repositoryPrefix'>,
  service: string,
): string {
  return [registry.host, registry.repositoryPrefix, service].filter(Boolean).join('/');
}

/** The registry host of a repository reference, as docker's credential store keys it. */
export function registryHostOf(reference: string): string {
  return reference.split('/')[0] ?? reference;
}
