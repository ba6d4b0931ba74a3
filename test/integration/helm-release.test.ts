import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { join } from 'node:path';
import { HelmCli } from '../../core/adapters/helm-cli.js';
import type { ReleaseRef } from '../../core/ports/helm.js';
import { startKubeApiDouble, type KubeApiDouble } from '../support/kube-api/index.js';
import { repoRoot } from '../support/paths.js';
import { testEnv, uniqueName } from '../support/test-env.js';
import { deployErrorOf } from '../support/deploy-error-of.js';

const chartPath = join(repoRoot, 'chart', 'hello-world');
const brokenChart = join(repoRoot, 'test', 'fixtures', 'charts', 'broken');
const TIMEOUT_MS = 60_000;

let double: KubeApiDouble;
let helm: HelmCli;
let apps: AppsV1Api;
let core: CoreV1Api;
const logged: string[] = [];

beforeAll(async () => {
  double = await startKubeApiDouble({ log: (line) => logged.push(line) });
  helm = new HelmCli({ bin: testEnv().helmBin, kubeconfig: double.kubeconfigPath });
  const config = new KubeConfig();
  config.loadFromFile(double.kubeconfigPath);
  apps = config.makeApiClient(AppsV1Api);
  core = config.makeApiClient(CoreV1Api);
});

afterAll(async () => {
  await double.stop();
});

afterEach(() => {
  expect(double.unhandled).toEqual([]);
  expect(logged.filter((line) => line.includes('controller error'))).toEqual([]);
});

function newRelease(): ReleaseRef {
  return {
    release: uniqueName('hello'),
    namespace: uniqueName('helm'),
    kubeContext: double.contextName,
  };
}

/**
 * These tests are about helm's releases, not the pods: the image is on a registry that is not on
 * this machine, which the double's kubelet never contacts, so the pods exist and never run.
 */
function image(tag: string) {
  return { 'image.repository': 'registry.local/hello-world', 'image.tag': tag };
}

async function deploymentImage(ref: ReleaseRef): Promise<string | undefined> {
  const deployment = await apps.readNamespacedDeployment({
    name: `${ref.release}-hello-world`,
    namespace: ref.namespace,
  });
  return deployment.spec?.template.spec?.containers[0]?.image;
}

const failure = deployErrorOf;

describe('HelmCli releases against the Kubernetes API double, with the real helm', () => {
  it('installs (revision 1, namespace created), upgrades (2), lists history and rolls back (3)', async () => {
    const ref = newRelease();
    expect(await helm.history(ref)).toEqual([]);
    expect(await helm.status(ref)).toBeUndefined();

    const lines: string[] = [];
    const first = await helm.upgradeInstall({
      ...ref,
      chartPath,
      setStrings: image('1.0'),
      timeoutMs: TIMEOUT_MS,
      onLine: (line) => lines.push(line),
    });
    expect(first).toBe(1);
    const namespace = await core.readNamespace({ name: ref.namespace });
    expect(namespace.status?.phase).toBe('Active');
    // A tag such as 1.0 stays a string, not the number 1.
    expect(await deploymentImage(ref)).toBe('registry.local/hello-world:1.0');
    // The release JSON on stdout is not passed on as a line of progress.
    expect(lines.filter((line) => line.startsWith('{'))).toEqual([]);

    const second = await helm.upgradeInstall({
      ...ref,
      chartPath,
      setStrings: image('2.0'),
      timeoutMs: TIMEOUT_MS,
    });
    expect(second).toBe(2);
    expect(await deploymentImage(ref)).toBe('registry.local/hello-world:2.0');

    const history = await helm.history(ref);
    expect(history).toEqual([
      {
        revision: 1,
        status: 'superseded',
        chart: 'hello-world-0.1.0',
        appVersion: '1.0.0',
        description: 'Install complete',
        updatedAt: expect.any(Date) as Date,
      },
      {
        revision: 2,
        status: 'deployed',
        chart: 'hello-world-0.1.0',
        appVersion: '1.0.0',
        description: 'Upgrade complete',
        updatedAt: expect.any(Date) as Date,
      },
    ]);

    const rolledBack = await helm.rollback({ ...ref, revision: 1, timeoutMs: TIMEOUT_MS });
    expect(rolledBack).toBe(3);
    expect(await deploymentImage(ref)).toBe('registry.local/hello-world:1.0');
    expect(await helm.status(ref)).toEqual({
      release: ref.release,
      namespace: ref.namespace,
      revision: 3,
      status: 'deployed',
      description: 'Rollback to 1',
    });
    expect((await helm.history(ref)).map((entry) => [entry.revision, entry.status])).toEqual([
      [1, 'superseded'],
      [2, 'superseded'],
      [3, 'deployed'],
    ]);
  });

  it("turns a chart error into HELM_FAILED with helm's own message", async () => {
    const ref = newRelease();
    const error = await failure(
      helm.upgradeInstall({ ...ref, chartPath: brokenChart, timeoutMs: TIMEOUT_MS }),
    );
    expect(error.code).toBe('HELM_FAILED');
    expect(error.message).toMatch(
      new RegExp(
        `^helm upgrade --install ${ref.release} failed: .*configmap\\.yaml.*unexpected`,
        's',
      ),
    );
    expect(await helm.history(ref)).toEqual([]);
  });

  it('turns a rollback to a revision that does not exist into HELM_FAILED', async () => {
    const ref = newRelease();
    await helm.upgradeInstall({
      ...ref,
      chartPath,
      setStrings: image('1.0'),
      timeoutMs: TIMEOUT_MS,
    });
    const error = await failure(helm.rollback({ ...ref, revision: 7, timeoutMs: TIMEOUT_MS }));
    expect(error.code).toBe('HELM_FAILED');
    expect(error.message).toMatch(/^helm rollback .* to revision 7 failed: Error: .*7/s);
  });

  it('turns an aborted upgrade into CANCELLED', async () => {
    const ref = newRelease();
    const controller = new AbortController();
    const upgrade = helm.upgradeInstall({
      ...ref,
      chartPath,
      setStrings: image('1.0'),
      timeoutMs: TIMEOUT_MS,
      signal: controller.signal,
    });
    setTimeout(() => {
      controller.abort();
    }, 20);
    const error = await failure(upgrade);
    expect(error.code).toBe('CANCELLED');
    expect(error.message).toBe(`helm upgrade --install ${ref.release} was cancelled`);
  });

  it('refuses a release name that helm would read as a flag, before running helm', async () => {
    const error = await failure(
      helm.upgradeInstall({
        release: '--debug',
        namespace: 'default',
        chartPath,
        timeoutMs: TIMEOUT_MS,
      }),
    );
    expect(error.code).toBe('CONFIG_INVALID');
  });
});
