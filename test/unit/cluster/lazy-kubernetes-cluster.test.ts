import { LazyKubernetesCluster } from '../../../core/adapters/lazy-kubernetes-cluster.js';
import type { Cluster } from '../../../core/ports/cluster.js';
import { deployErrorOf } from '../../support/deploy-error-of.js';
import { FakeCluster, FakeHelm } from '../../support/fakes/index.js';
import { fakeDeploy } from '../use-cases/run-deploy-harness.js';

const target = { namespace: 'staging' };

/** A loader that fails `failures` times (as a missing or broken module would), then loads `cluster`. */
function loader(cluster: Cluster, failures = 0) {
  const calls: unknown[] = [];
  return {
    calls,
    load: (options: unknown) => {
      calls.push(options);
      if (calls.length <= failures) {
        return Promise.reject(new Error("Cannot find package '@kubernetes/client-node'"));
      }
      return Promise.resolve(cluster);
    },
  };
}

describe('LazyKubernetesCluster', () => {
  it('loads the adapter once, at its first call, with its options', async () => {
    const fake = new FakeCluster(new FakeHelm());
    const { calls, load } = loader(fake);
    const lazy = new LazyKubernetesCluster({ kubeconfigPath: '/kube/config' }, load);
    expect(calls).toHaveLength(0);
    await Promise.all([lazy.listPods(target, 'a'), lazy.serviceAddress(target, 'a')]);
    await lazy.listPods(target, 'b');
    expect(calls).toEqual([{ kubeconfigPath: '/kube/config' }]);
  });

  it('turns a failed load into CLUSTER_UNAVAILABLE saying why, and loads again at the next call', async () => {
    const fake = new FakeCluster(new FakeHelm());
    const { calls, load } = loader(fake, 1);
    const lazy = new LazyKubernetesCluster({}, load);
    const error = await deployErrorOf(lazy.listPods(target, 'hello-world'));
    expect(error.code).toBe('CLUSTER_UNAVAILABLE');
    expect(error.message).toBe(
      "the Kubernetes client could not be loaded: Cannot find package '@kubernetes/client-node'",
    );
    expect(await lazy.listPods(target, 'hello-world')).toEqual([]);
    expect(calls).toHaveLength(2);
  });

  it('fails a deploy at the stage that follows the rollout when the client cannot be loaded', async () => {
    const { deploy, deps } = fakeDeploy();
    deps.cluster = new LazyKubernetesCluster({}, loader(deps.cluster, 1).load);
    const { end, read } = await deploy();
    expect(end).toMatchObject({
      kind: 'finished',
      result: { ok: false, stage: 'verify', error: { code: 'CLUSTER_UNAVAILABLE' } },
    });
    expect(read()).toContain('the Kubernetes client could not be loaded');
  });
});
