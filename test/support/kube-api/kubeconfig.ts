import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

export interface KubeconfigSpec {
  server: string;
  token: string;
  contextName: string;
  namespace?: string;
}

/** A kubeconfig with one cluster, one token user and one context, readable by helm and client-node. */
export function renderKubeconfig(spec: KubeconfigSpec): string {
  const context: Record<string, string> = {
    cluster: spec.contextName,
    user: `${spec.contextName}-user`,
  };
  if (spec.namespace !== undefined) context.namespace = spec.namespace;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    // @kubernetes/client-node 1.x refuses plain http unless this is set; client-go ignores it for http.
    clusters: [
      {
        name: spec.contextName,
        cluster: { server: spec.server, 'insecure-skip-tls-verify': true },
      },
    ],
    users: [{ name: `${spec.contextName}-user`, user: { token: spec.token } }],
    contexts: [{ name: spec.contextName, context }],
    'current-context': spec.contextName,
  });
}

/** Writes the kubeconfig with owner-only permissions, as it holds a token. */
export function writeKubeconfig(path: string, spec: KubeconfigSpec): void {
  writeFileSync(path, renderKubeconfig(spec), { mode: 0o600 });
}
