import type { Cluster } from '../../ports/cluster.js';
import type { PipelineStage } from '../pipeline-types.js';
import { releaseOf } from './deploy-stage.js';

/** Report: where the service can be reached now. */
export function reportStage(options: { cluster: Cluster; timeoutMs: number }): PipelineStage {
  return {
    name: 'report',
    timeoutMs: options.timeoutMs,
    async run(context) {
      const { release, namespace, kubeContext } = releaseOf(context);
      const address = await options.cluster.serviceAddress(
        { namespace, ...(kubeContext ? { kubeContext } : {}) },
        release,
      );
      if (!address) return 'no Service or Ingress: nothing to reach';
      context.outcome.address = address;
      return address.kind === 'cluster-ip'
        ? `${address.url} (inside the cluster only)`
        : address.url;
    },
  };
}
