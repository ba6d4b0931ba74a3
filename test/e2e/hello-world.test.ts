import { join } from 'node:path';
import { HelmCli } from '../../core/adapters/helm-cli.js';
import { KubernetesCluster } from '../../core/adapters/kubernetes-cluster.js';
import { startDeployHarness, type DeployHarness } from '../support/deploy-harness.js';
import { repoRoot } from '../support/paths.js';
import { testEnv } from '../support/test-env.js';
import { deployAndWait, expectNoUnhandled } from './deploy-helpers.js';

// Through Slack's Socket Mode (the manifest's default): the command arrives over the WebSocket.
describe('/deploy hello-world over Socket Mode: the service this repository ships, as harbormaster.yaml deploys it', () => {
  let harness: DeployHarness;

  beforeAll(async () => {
    harness = await startDeployHarness([], {
      catalogServices: {
        'hello-world': {
          source: { path: join(repoRoot, 'service') },
          test: { command: ['npm', 'test'], timeoutSeconds: 300 },
          buildArgs: { BASE_IMAGE: testEnv().nodeBaseImage },
          chart: join(repoRoot, 'chart', 'hello-world'),
          values: { staging: [join(repoRoot, 'chart', 'hello-world', 'values-staging.yaml')] },
        },
      },
      // No worker dies here: the product's default lock, so that a busy machine's slow event loop
      // is not taken for a dead worker during minutes of npm ci.
      lockDurationMs: 30_000,
      socketMode: true,
    });
  });
  afterAll(async () => {
    await harness.stopAll();
  });
  afterEach(() => {
    expectNoUnhandled(harness);
  });

  // npm ci runs twice (the test gate, then the image's build stage) and the service's own jest
  // suite runs: minutes on a slow machine, so this test's limits are longer than the default.
  it('runs its real tests, builds and pushes its image, installs its chart and reports its address', async () => {
    const { message, state } = await deployAndWait(harness, 'hello-world', undefined, 420_000);
    // A failed deploy shows its message: which stage failed, and why.
    if (state !== 'completed') throw new Error(`the deploy ${state}:\n${message.rendered}`);
    const lines = message.rendered.split('\n');
    expect(lines[0]).toBe(':white_check_mark: Deployed hello-world@main → staging');
    for (const title of [
      'Source',
      'Test gate',
      'Build image',
      'Push image',
      'Helm upgrade',
      'Rollout',
      'Address',
    ]) {
      expect(lines).toContainEqual(
        expect.stringMatching(new RegExp(`^:white_check_mark: ${title} · `)),
      );
    }
    const address = lines.find((line) => line.startsWith('Address: '))?.slice('Address: '.length);
    expect(address).toMatch(/^http:\/\/127\.0\.0\.1:3\d{4}$/);
    // The address reaches a Ready pod that really runs the image just built.
    const answer = await fetch(address ?? '');
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ message: 'Hello, World!', service: 'hello-world' });
    const digest = lines.find((line) => line.startsWith('Image: '))?.slice('Image: '.length) ?? '';
    const manifest = await fetch(
      `http://${testEnv().registry.address}/v2/${harness.namespace}/hello-world/manifests/${digest}`,
      { headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' } },
    );
    expect(manifest.status).toBe(200);

    const helm = new HelmCli({ bin: testEnv().helmBin, kubeconfig: harness.kube.kubeconfigPath });
    expect(
      await helm.history({ release: 'hello-world', namespace: harness.namespace }),
    ).toMatchObject([
      { revision: 1, status: 'deployed', chart: expect.stringMatching(/^hello-world-/) as unknown },
    ]);
    const pods = await new KubernetesCluster({
      kubeconfigPath: harness.kube.kubeconfigPath,
    }).listPods({ namespace: harness.namespace }, 'hello-world');
    expect(pods.map((pod) => [pod.phase, pod.readyContainers, pod.totalContainers])).toEqual([
      ['Running', 1, 1],
      ['Running', 1, 1],
    ]);
  }, 480_000);
});
