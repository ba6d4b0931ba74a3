import { AppsV1Api, KubeConfig } from '@kubernetes/client-node';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HelmCli } from '../../core/adapters/helm-cli.js';
import { KubernetesCluster } from '../../core/adapters/kubernetes-cluster.js';
import type { ClusterTarget, RolloutProgressReport } from '../../core/ports/cluster.js';
import { pushFixtureImage } from '../support/fixture-images.js';
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
let setup: Setup;
/**
 * The chart's image in the test registry: tags 1.0 and 2.0 run the tiny fixture service,
 * crash-2.0 the fixture that exits 1 at start; does-not-exist was never pushed.
 */
let repository: string;

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
  const path = `${uniqueName('rollout')}/hello-world`;
  repository = await pushFixtureImage({ fixture: 'tiny', repository: path, tags: ['1.0', '2.0'] });
  await pushFixtureImage({ fixture: 'exits-at-start', repository: path, tags: ['crash-2.0'] });
  setup = await setUp({ backOffMs: 100, probeTimeScale: 0.1 });
});

afterAll(async () => {
  await setup.double.stop();
});

afterEach(() => {
  expect(setup.double.unhandled).toEqual([]);
  expect(logged.filter((line) => line.includes('controller error'))).toEqual([]);
});

interface Release {
  target: ClusterTarget;
  release: string;
  deploy: (tag: string) => Promise<number>;
}

/** A fresh release of chart/hello-world, with more values files if given. */
function newRelease(valuesFiles: string[] = []): Release {
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
        valuesFiles,
        setStrings: { 'image.repository': repository, 'image.tag': tag },
        timeoutMs: LIMIT_MS,
      }),
  };
}

const failure = deployErrorOf;

/** Values that make the readiness probe's first check count after 600 s (scaled by 0.1: a minute). */
function slowReadiness(): string[] {
  const file = join(testEnv().workDir, `${uniqueName('slow-readiness')}.yaml`);
  writeFileSync(file, 'readinessProbe:\n  initialDelaySeconds: 600\n');
  return [file];
}

const DONE: RolloutProgressReport = { desired: 2, updated: 2, ready: 2, message: '2/2 ready' };

describe('KubernetesCluster.waitForRollout against the API double, releases by real helm', () => {
  it('resolves once the new pods are ready, reporting progress on the way', async () => {
    const { target, release, deploy } = newRelease();
    expect(await deploy('1.0')).toBe(1);
    expect(await setup.cluster.waitForRollout({ target, release, timeoutMs: LIMIT_MS })).toEqual(
      DONE,
    );

    expect(await deploy('2.0')).toBe(2);
    const progress: RolloutProgressReport[] = [];
    const done = await setup.cluster.waitForRollout({
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
    const deployment = await setup.apps.readNamespacedDeployment({
      name: `${release}-hello-world`,
      namespace: target.namespace,
    });
    expect(deployment.status).toMatchObject({ updatedReplicas: 2, readyReplicas: 2, replicas: 2 });
    const pods = await setup.cluster.listPods(target, release);
    expect(pods.filter((pod) => !pod.terminating)).toHaveLength(2);
  });

  it('names the crash-looping pods (ROLLOUT_FAILED), then a rollback rolls out healthy', async () => {
    const { target, release, deploy } = newRelease();
    await deploy('1.0');
    await setup.cluster.waitForRollout({ target, release, timeoutMs: LIMIT_MS });

    await deploy('crash-2.0');
    const error = await failure(
      setup.cluster.waitForRollout({ target, release, timeoutMs: LIMIT_MS }),
    );
    expect(error.code).toBe('ROLLOUT_FAILED');
    expect(error.message).toMatch(
      new RegExp(
        `^the rollout of ${release} failed: pod ${release}-hello-world-[a-z0-9]+-[a-z0-9]+ \\(CrashLoopBackOff`,
      ),
    );

    // The crashing pods are still there while the rollback rolls out: they must not count.
    expect(
      await setup.helm.rollback({ release, ...target, revision: 1, timeoutMs: LIMIT_MS }),
    ).toBe(3);
    expect(await setup.cluster.waitForRollout({ target, release, timeoutMs: LIMIT_MS })).toEqual(
      DONE,
    );
  });

  it('names the pods whose image cannot be pulled (ROLLOUT_FAILED), then a rollback recovers', async () => {
    const { target, release, deploy } = newRelease();
    await deploy('1.0');
    await setup.cluster.waitForRollout({ target, release, timeoutMs: LIMIT_MS });

    await deploy('does-not-exist');
    const error = await failure(
      setup.cluster.waitForRollout({ target, release, timeoutMs: LIMIT_MS }),
    );
    expect(error.code).toBe('ROLLOUT_FAILED');
    expect(error.message).toMatch(
      new RegExp(
        `^the rollout of ${release} failed: pod ${release}-hello-world-\\S+ \\((ErrImagePull|ImagePullBackOff)`,
      ),
    );

    await setup.helm.rollback({ release, ...target, revision: 1, timeoutMs: LIMIT_MS });
    expect(await setup.cluster.waitForRollout({ target, release, timeoutMs: LIMIT_MS })).toEqual(
      DONE,
    );
  });

  it('gives up with TIMEOUT, saying how far the rollout got', async () => {
    // Pods that are not ready for a minute: a rollout still going when a short wait ends.
    const { target, release, deploy } = newRelease(slowReadiness());
    await deploy('1.0');
    const error = await failure(setup.cluster.waitForRollout({ target, release, timeoutMs: 500 }));
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toBe(
      `the rollout of ${release} in namespace ${target.namespace} did not complete within 1s (0/2 ready)`,
    );
  });

  it('stops with CANCELLED when the signal aborts', async () => {
    const { target, release, deploy } = newRelease(slowReadiness());
    await deploy('1.0');
    const controller = new AbortController();
    const waiting = setup.cluster.waitForRollout({
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
