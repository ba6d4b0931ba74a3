import { KubeConfig } from '@kubernetes/client-node';
import type { InfrastructureDetails } from '../../domain/infrastructure-redaction.js';

/**
 * The API servers a kubeconfig names, and its path: what chat messages must not show. A
 * kubeconfig that cannot be read gives only its path (the deploy that needs it says why).
 */
export function kubeconfigDetails(path: string | undefined): InfrastructureDetails {
  const config = new KubeConfig();
  try {
    if (path === undefined) config.loadFromDefault();
    else config.loadFromFile(path);
  } catch {
    return { servers: [], paths: path === undefined ? [] : [path] };
  }
  return {
    servers: config.getClusters().map((cluster) => cluster.server),
    paths: path === undefined ? [] : [path],
  };
}
