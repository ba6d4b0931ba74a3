import { join } from 'node:path';
import { HelmCli } from '../../core/adapters/helm-cli.js';
import { KubernetesCluster } from '../../core/adapters/kubernetes-cluster.js';
import { helmSandbox, RELEASE_NAMESPACE } from '../support/harbormaster-chart.js';
import { startKubeApiDouble, type KubeApiDouble } from '../support/kube-api/index.js';
import { pushFixtureImage } from '../support/fixture-images.js';
import { repoRoot } from '../support/paths.js';
import {
  allows,
  grantsOf,
  requestAttributes,
  type Grant,
  type RecordedRequest,
} from '../support/rbac.js';
import { testEnv, uniqueName } from '../support/test-env.js';

/**
 * Enough RBAC, not only not too much: the real helm (through the product's HelmCli) and the
 * product's Kubernetes adapter deploy, follow, roll back and report a release in the Kubernetes API
 * double; every request they make must be one the chart's Roles allow the process that made it.
 */

const WORKER = `${RELEASE_NAMESPACE}/hm-harbormaster-worker`;
const BOT = `${RELEASE_NAMESPACE}/hm-harbormaster-bot`;
const fixture = (name: string) => join(repoRoot, 'test', 'fixtures', 'chart-values', name);
const chartPath = join(repoRoot, 'chart', 'hello-world');

const sandbox = helmSandbox();
let double: KubeApiDouble;
let namespace: string;
let grants: Grant[];
let repository: string;

beforeAll(async () => {
  double = await startKubeApiDouble({ log: () => undefined, backOffMs: 100 });
  const path = `${uniqueName('hm-rbac')}/hello-world`;
  repository = await pushFixtureImage({
    fixture: 'tiny',
    repository: path,
    tags: ['1.0.0', '1.0.1'],
  });
  await pushFixtureImage({ fixture: 'exits-at-start', repository: path, tags: ['crash-1'] });
  namespace = uniqueName('hm-rbac');
  const catalog = {
    registry: { host: 'registry.example.test' },
    environments: { staging: { namespace, deployers: { everyone: true } } },
    services: {
      'hello-world': {
        source: { path: 'service' },
        test: { command: ['npm', 'test'] },
        chart: 'chart/hello-world',
      },
    },
  };
  grants = grantsOf(
    await sandbox.render({ setJson: [`catalog=${JSON.stringify(catalog)}`] }),
    RELEASE_NAMESPACE,
  );
  // The namespace exists before Harbormaster, as its Role in it must.
  const created = await fetch(`${double.url}/api/v1/namespaces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${double.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }),
  });
  expect(created.status).toBe(201);
});

afterAll(async () => {
  await double.stop();
  sandbox.remove();
});

/** Runs `work` and returns the requests it made that RBAC would refuse to `subject`. */
async function refusedDuring(subject: string, work: () => Promise<void>): Promise<string[]> {
  const start = double.requests.length;
  await work();
  const made = double.requests.slice(start) as RecordedRequest[];
  expect(made.length).toBeGreaterThan(0);
  return made.flatMap((request) =>
    requestAttributes(request)
      .filter((attributes) => !allows(grants, subject, attributes))
      .map(
        (a) =>
          `${a.verb} ${a.apiGroup || 'core'}/${a.resource} ${a.name ?? ''} (${request.method} ${request.path})`,
      ),
  );
}

describe('the RBAC of chart/harbormaster is enough for what Harbormaster does', () => {
  it('lets the worker install, follow, upgrade, roll back and report a release', async () => {
    const helm = new HelmCli({ bin: testEnv().helmBin, kubeconfig: double.kubeconfigPath });
    const cluster = new KubernetesCluster({ kubeconfigPath: double.kubeconfigPath });
    const release = uniqueName('hello');
    const ref = { release, namespace };
    const image = (tag: string) => ({
      'image.repository': repository,
      'image.tag': tag,
    });

    const refused = await refusedDuring(WORKER, async () => {
      await helm.history(ref);
      // A Service, a Deployment, an Ingress, a ServiceAccount and an HPA.
      await helm.upgradeInstall({
        ...ref,
        chartPath,
        valuesFiles: [fixture('ingress.yaml'), fixture('service-account-and-autoscaling.yaml')],
        setStrings: image('1.0.0'),
        timeoutMs: 60_000,
      });
      await cluster.waitForRollout({ target: { namespace }, release, timeoutMs: 60_000 });
      await cluster.serviceAddress({ namespace }, release);
      // The next revision drops the Ingress: helm deletes it.
      await helm.upgradeInstall({
        ...ref,
        chartPath,
        valuesFiles: [fixture('service-account-and-autoscaling.yaml')],
        setStrings: image('1.0.1'),
        timeoutMs: 60_000,
      });
      await cluster.waitForRollout({ target: { namespace }, release, timeoutMs: 60_000 });
      // A revision whose pods crash: the rollout names them (from their ReplicaSet), then the
      // deploy rolls back.
      await helm.upgradeInstall({
        ...ref,
        chartPath,
        setStrings: image('crash-1'),
        timeoutMs: 60_000,
      });
      await expect(
        cluster.waitForRollout({ target: { namespace }, release, timeoutMs: 60_000 }),
      ).rejects.toMatchObject({ code: 'ROLLOUT_FAILED' });
      await helm.rollback({ ...ref, revision: 2, timeoutMs: 60_000 });
      await helm.status(ref);
      await cluster.listPods({ namespace }, release);
    });
    expect(refused).toEqual([]);
    expect(double.unhandled).toEqual([]);
  });

  it('lets the bot answer /status, and refuses it what only the worker may do', async () => {
    const cluster = new KubernetesCluster({ kubeconfigPath: double.kubeconfigPath });
    const release = uniqueName('hello');
    await new HelmCli({ bin: testEnv().helmBin, kubeconfig: double.kubeconfigPath }).upgradeInstall(
      {
        release,
        namespace,
        chartPath,
        // Its pods only need to exist for /status: they never pull.
        setStrings: { 'image.repository': 'registry.local/hello-world' },
        timeoutMs: 60_000,
      },
    );
    const refused = await refusedDuring(BOT, async () => {
      await cluster.listPods({ namespace }, release);
      await cluster.serviceAddress({ namespace }, release);
    });
    expect(refused).toEqual([]);

    // The same model refuses what was not granted: the check can fail.
    const request = (method: string, path: string): RecordedRequest => ({
      method,
      path,
      query: '',
      contentType: undefined,
      status: 200,
    });
    const refusedTo = (subject: string, r: RecordedRequest) =>
      requestAttributes(r).some((attributes) => !allows(grants, subject, attributes));
    expect(refusedTo(BOT, request('GET', `/api/v1/namespaces/${namespace}/secrets`))).toBe(true);
    expect(
      refusedTo(BOT, request('PATCH', `/apis/apps/v1/namespaces/${namespace}/deployments/x`)),
    ).toBe(true);
    expect(refusedTo(WORKER, request('GET', '/api/v1/namespaces/kube-system/secrets'))).toBe(true);
    expect(refusedTo(WORKER, request('PATCH', '/api/v1/namespaces/kube-system'))).toBe(true);
    expect(refusedTo(WORKER, request('POST', '/api/v1/namespaces'))).toBe(true);
    expect(refusedTo(WORKER, request('GET', `/api/v1/namespaces/${namespace}/pods/x/exec`))).toBe(
      true,
    );
    expect(refusedTo(WORKER, request('PATCH', `/api/v1/namespaces/${namespace}`))).toBe(false);
  });
});
