import { clusterTargetOf } from '../../domain/catalog.js';
import type { Cluster } from '../../ports/cluster.js';
import type { Stage } from '../stage.js';

/** Report: where the service can be reached now that its rollout is done. */
export function reportStage(options: {
  cluster: Pick<Cluster, 'serviceAddress'>;
}): Stage<'report', 'verify'> {
  return {
    name: 'report',
    needs: ['verify'],
    // The rollout is done: too late to cancel, the address is still told.
    finishesOnCancel: true,
    async run(context) {
      const address = await options.cluster.serviceAddress(
        clusterTargetOf(context.environment),
        context.service.release,
      );
      if (!address) return { output: {}, summary: 'no Service or Ingress: nothing to reach' };
      return {
        output: { address },
        summary:
          address.kind === 'cluster-ip' ? `${address.url} (inside the cluster only)` : address.url,
      };
    },
  };
}
