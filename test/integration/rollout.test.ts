import { AppsV1Api, KubeConfig } from '@kubernetes/client-node';
import { join } from 'node:path';
import { HelmCli } from '../../core/adapters/helm-cli.js';
import { KubernetesCluster } from '../../core/adapters/kubernetes-cluster.js';
import type { ClusterTarget, RolloutProgressReport } from '../../core/ports/cluster.js';
import { startKubeApiDouble, type KubeApiDouble } from '../support/kube-api/index.js';
import { repoRoot } from '../support/paths.js';
import { testEnv, uniqueName } from '../support/test-env.js';
import { deployErrorOf } from '../support/deploy-error-of.js';

const chartPath = join(repoRoot, 'chart', 'hello-world');
const LIMIT_MS = 60_000;

interface Setup {
  double: KubeApiDouble;
  helm: HelmCli;
  cluster: KubernetesCluster;
  apps: AppsV1Api;
}

const logged: string[] = [];
let fast: Setup;
/** Pods that take a minute to start: a rollout that is still going when a short wait ends. */
let slow: Setup;

async function setUp(options: Parameters<typeof startKubeApiDouble>[0]): Promise<Setup> {
  const double = await startKubeApiDouble({ ...options, log: (line) => logged.push(line) });
  const config = new KubeConfig();
  config.loadFromFile(double.kubeconfigPath);
  return {
    double,
    helm: new HelmCli({ bin: testEnv().helmBin, kubeconfig: double.kubeconfigPath }),
    cluster: new KubernetesCluster({ kubeconfigPath: double.kubeconfigPath }),
    apps: config.makeApiClient(AppsV1Api),
  };
}

beforeAll(async () => {
  fast = await setUp({
    imageFailures: [
      { image: /:crash-/, failure: 'CrashLoopBackOff' },
      { image: 'does-not-exist', failure: 'ImagePullBackOff' },
    ],
    backOffMs: 100,
  });
  slow = await setUp({ podStartDelayMs: 60_000 });
});

afterAll(async () => {
  await Promise.all([fast.double.stop(), slow.double.stop()]);
});

afterEach(() => {
  expect(fast.double.unhandled).toEqual([]);
  expect(slow.double.unhandled).toEqual([]);
  expect(logged.filter((line) => line.includes('controller error'))).toEqual([]);
});

interface Release {
  target: ClusterTarget;
  release: string;
  deploy: (tag: string) => Promise<number>;
}

function newRelease(setup: Setup): Release {
  const target = { namespace: uniqueName('rollout'), kubeContext: setup.double.contextName };
  const release = uniqueName('hello');
  return {
    target,
    release,
    deploy: (tag) =>
      setup.helm.upgradeInstall({
        release,
        ...target,
        chartPath,
        setStrings: { 'image.repository': 'registry.local/hello-world', 'image.tag': tag },
        timeoutMs: LIMIT_MS,
      }),
  };
}

const failure = deployErrorOf;

const DONE: RolloutProgressReport = { desired: 2, updated: 2, ready: 2, message: '2/2 ready' };

describe('KubernetesCluster.waitForRollout against the API double, releases by real helm', () => {
  it('resolves once the new pods are ready, reporting progress on the way', async () => {
    const { target, release, deploy } = newRelease(fast);
    expect(await deploy('1.0')).toBe(1);
    expect(await fast.cluster.waitForRollout({ target, release, timeoutMs: LIMIT_MS })).toEqual(
      DONE,
    );

    expect(await deploy('2.0')).toBe(2);
    const progress: RolloutProgressReport[] = [];
    const done = await fast.cluster.waitForRollout({
      target,
      release,
      timeoutMs: LIMIT_MS,
      onProgress: (report) => progress.push(report),
    });
    expect(done).toEqual(DONE);
    // The first report says where the rollout stood when waiting began; the last, that it is done.
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toEqual(DONE);
    for (const report of progress) expect(report.message).toMatch(/^\d\/2 ready( \(\d old\))?$/);

    // Resolved means really rolled out: every pod left is the new image's, Ready.
    const deployment = await fast.apps.readNamespacedDeployment({
      name: `${release}-hello-world`,
      namespace: target.namespace,
    });
    expect(deployment.status).toMatchObject({ updatedReplicas: 2, readyReplicas: 2, replicas: 2 });
    const pods = await fast.cluster.listPods(target, release);
    expect(pods.filter((pod) => !pod.terminating)).toHaveLength(2);
  });

  it('names the crash-looping pods (ROLLOUT_FAILED), then a rollback rolls out healthy', async () => {
    const { target, release, deploy } = newRelease(fast);
    await deploy('1.0');
    await fast.cluster.waitForRollout({ target, release, timeoutMs: LIMIT_MS });

    await deploy('crash-2.0');
    const error = await failure(
      fast.cluster.waitForRollout({ target, release, timeoutMs: LIMIT_MS }),
    );
    expect(error.code).toBe('ROLLOUT_FAILED');
    expect(error.message).toMatch(
      new RegExp(
        `^the rollout of ${release} failed: pod ${release}-hello-world-[a-z0-9]+-[a-z0-9]+ \\(CrashLoopBackOff`,
      ),
    );

    // The crashing pods are still there while the rollback rolls out: they must not count.
    expect(await fast.helm.rollback({ release, ...target, revision: 1, timeoutMs: LIMIT_MS })).toBe(
      3,
    );
    expect(await fast.cluster.waitForRollout({ target, release, timeoutMs: LIMIT_MS })).toEqual(
      DONE,
    );
  });

  it('names the pods whose image cannot be pulled (ROLLOUT_FAILED), then a rollback recovers', async () => {
    const { target, release, deploy } = newRelease(fast);
    await deploy('1.0');
    await fast.cluster.waitForRollout({ target, release, timeoutMs: LIMIT_MS });

    await deploy('does-not-exist');
    const error = await failure(
      fast.cluster.waitForRollout({ target, release, timeoutMs: LIMIT_MS }),
    );
    expect(error.code).toBe('ROLLOUT_FAILED');
    expect(error.message).toMatch(
      new RegExp(
        `^the rollout of ${release} failed: pod ${release}-hello-world-\\S+ \\((ErrImagePull|ImagePullBackOff)`,
      ),
    );

    await fast.helm.rollback({ release, ...target, revision: 1, timeoutMs: LIMIT_MS });
    expect(await fast.cluster.waitForRollout({ target, release, timeoutMs: LIMIT_MS })).toEqual(
      DONE,
    );
  });

  it('gives up with TIMEOUT, saying how far the rollout got', async () => {
    const { target, release, deploy } = newRelease(slow);
    await deploy('1.0');
    const error = await failure(slow.cluster.waitForRollout({ target, release, timeoutMs: 500 }));
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toBe(
      `the rollout of ${release} in namespace ${target.namespace} did not complete within 1s (0/2 ready)`,
    );
  });

  it('stops with CANCELLED when the signal aborts', async () => {
    const { target, release, deploy } = newRelease(slow);
    await deploy('1.0');
    const controller = new AbortController();
    const waiting = slow.cluster.waitForRollout({
      target,
      release,
      timeoutMs: LIMIT_MS,
      signal: controller.signal,
      onProgress: () => {
        controller.abort();
      },
    });
    const error = await failure(waiting);
    expect(error.code).toBe('CANCELLED');
    expect(error.message).toBe(`waiting for the rollout of ${release} was cancelled`);
  });
});
