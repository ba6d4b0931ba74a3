import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  V1ConfigMap,
  V1ObjectMeta,
  Watch,
} from '@kubernetes/client-node';
import { execa } from 'execa';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pushFixtureImage } from '../support/fixture-images.js';
import { repoRoot } from '../support/paths.js';
import { startKubeApiDouble, type KubeApiDouble } from '../support/kube-api/index.js';
import { testEnv, uniqueName } from '../support/test-env.js';
import { eventuallyValue } from '../support/eventually.js';

type Json = Record<string, unknown>;

interface Reply {
  status: number;
  contentType: string;
  body: Json;
}

let double: KubeApiDouble;
let kubeConfig: KubeConfig;
const logged: string[] = [];
/** The tiny fixture service in the test registry, tagged 1, 2, 1.0.0 and 1.0.1: pods that really run. */
let web: string;
/**
 * For tests of API semantics only (ownership, deletion): an image on a registry that is not on this
 * machine, which the kubelet never contacts; its pods exist but never run.
 */
const UNPULLABLE = 'registry.local/web:1';

beforeAll(async () => {
  web = await pushFixtureImage({
    fixture: 'tiny',
    repository: `${uniqueName('double')}/web`,
    tags: ['1', '2', '1.0.0', '1.0.1'],
  });
  double = await startKubeApiDouble({
    backOffMs: 100,
    probeTimeScale: 0.1,
    log: (line) => logged.push(line),
  });
  kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(double.kubeconfigPath);
});

afterAll(async () => {
  await double.stop();
});

afterEach(() => {
  // Anything the double does not implement is a gap to find, not to hide.
  expect(double.unhandled).toEqual([]);
  // A simulated controller that throws is a bug in the double.
  expect(logged.filter((line) => line.includes('controller error'))).toEqual([]);
});

async function call(
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
  token = double.token,
): Promise<Reply> {
  const init: RequestInit = {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType },
  };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(`${double.url}${path}`, init);
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: JSON.parse(text) as Json,
  };
}

const eventually = eventuallyValue;

async function createNamespace(prefix: string): Promise<string> {
  const name = uniqueName(prefix);
  const reply = await call('POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  });
  expect(reply.status).toBe(201);
  return name;
}

function deployment(name: string, image: string, extra: Json = {}, container: Json = {}): Json {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name: 'main', image, ports: [{ containerPort: 5000 }], ...container }],
        },
      },
      ...extra,
    },
  };
}

/** A ConfigMap body for the typed client, built from its classes as the generated API expects. */
function configMapBody(name: string, labels?: Record<string, string>): V1ConfigMap {
  const metadata = new V1ObjectMeta();
  metadata.name = name;
  if (labels !== undefined) metadata.labels = labels;
  const body = new V1ConfigMap();
  body.metadata = metadata;
  return body;
}

function field(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function condition(object: unknown, type: string): Json | undefined {
  const conditions = field(object, 'status', 'conditions');
  return Array.isArray(conditions)
    ? (conditions as Json[]).find((entry) => entry.type === type)
    : undefined;
}

describe('kube-api double: HTTP and Status bodies', () => {
  it('serves version and discovery, legacy and aggregated', async () => {
    const version = await call('GET', '/version');
    expect(version.body).toMatchObject({
      major: '1',
      gitVersion: expect.stringMatching(/^v1\./) as string,
    });
    const core = await call('GET', '/api/v1');
    const pods = (core.body.resources as Json[]).find((resource) => resource.name === 'pods');
    expect(pods).toMatchObject({
      kind: 'Pod',
      namespaced: true,
      verbs: expect.arrayContaining(['watch', 'patch']) as string[],
    });
    const groups = await call('GET', '/apis');
    expect((groups.body.groups as Json[]).map((group) => group.name)).toEqual(
      expect.arrayContaining(['apps', 'networking.k8s.io']),
    );

    const response = await fetch(`${double.url}/apis`, {
      headers: {
        Accept:
          'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
      },
    });
    expect(response.headers.get('content-type')).toBe(
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    );
    const aggregated = (await response.json()) as Json;
    const apps = (aggregated.items as Json[]).find(
      (item) => field(item, 'metadata', 'name') === 'apps',
    );
    expect(field(apps, 'versions', 0, 'resources')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ resource: 'deployments', scope: 'Namespaced' }),
      ]),
    );
  });

  it('answers 404 NotFound with a Status body', async () => {
    const namespace = await createNamespace('status');
    const reply = await call('GET', `/api/v1/namespaces/${namespace}/configmaps/nope`);
    expect(reply.status).toBe(404);
    expect(reply.contentType).toBe('application/json');
    expect(reply.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'configmaps "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', kind: 'configmaps' },
      code: 404,
    });
    const missingNamespace = await call('POST', '/api/v1/namespaces/no-such-namespace/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x' },
    });
    expect(missingNamespace.body).toMatchObject({
      code: 404,
      reason: 'NotFound',
      message: 'namespaces "no-such-namespace" not found',
    });
  });

  it('answers 409 AlreadyExists, and 409 Conflict for a stale resourceVersion', async () => {
    const namespace = await createNamespace('conflict');
    const configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings' },
      data: { a: '1' },
    };
    const created = await call('POST', `/api/v1/namespaces/${namespace}/configmaps`, configMap);
    expect(created.status).toBe(201);
    const again = await call('POST', `/api/v1/namespaces/${namespace}/configmaps`, configMap);
    expect(again.body).toMatchObject({
      status: 'Failure',
      code: 409,
      reason: 'AlreadyExists',
      message: 'configmaps "settings" already exists',
    });

    const stale = field(created.body, 'metadata', 'resourceVersion');
    const first = await call('PUT', `/api/v1/namespaces/${namespace}/configmaps/settings`, {
      ...created.body,
      data: { a: '2' },
    });
    expect(first.status).toBe(200);
    expect(Number(field(first.body, 'metadata', 'resourceVersion'))).toBeGreaterThan(Number(stale));
    const second = await call('PUT', `/api/v1/namespaces/${namespace}/configmaps/settings`, {
      ...created.body,
      data: { a: '3' },
    });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on configmaps "settings": the object has been modified; please apply your changes to the latest version and try again',
    });
  });

  it('answers 422 Invalid with one cause per field', async () => {
    const namespace = await createNamespace('invalid');
    const reply = await call('POST', `/apis/apps/v1/namespaces/${namespace}/deployments`, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'broken' },
      spec: { template: { metadata: { labels: { app: 'x' } }, spec: { containers: [] } } },
    });
    expect(reply.status).toBe(422);
    expect(reply.body).toMatchObject({
      reason: 'Invalid',
      message:
        'Deployment.apps "broken" is invalid: [spec.selector: Required value, spec.template.spec.containers: Required value]',
      details: {
        name: 'broken',
        group: 'apps',
        kind: 'Deployment',
        causes: [
          { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.selector' },
          {
            reason: 'FieldValueRequired',
            message: 'Required value',
            field: 'spec.template.spec.containers',
          },
        ],
      },
    });
  });

  it('answers 400 for a malformed body, 415 for an unknown patch type and 401 for a wrong token', async () => {
    const namespace = await createNamespace('bad');
    const malformed = await call(
      'POST',
      `/api/v1/namespaces/${namespace}/configmaps`,
      '{"apiVersion": ',
    );
    expect(malformed.body).toMatchObject({ code: 400, reason: 'BadRequest' });
    const unsupported = await call(
      'PATCH',
      `/api/v1/namespaces/${namespace}/configmaps/x`,
      '{}',
      'text/plain',
    );
    expect(unsupported.body).toMatchObject({ code: 415, reason: 'UnsupportedMediaType' });
    const unauthorized = await call(
      'GET',
      '/api/v1/namespaces',
      undefined,
      'application/json',
      'wrong-token',
    );
    expect(unauthorized.body).toMatchObject({ code: 401, reason: 'Unauthorized' });
  });

  it('fails loudly on what it does not implement, and lists it', async () => {
    const unknown = await call('GET', '/apis/batch/v1/namespaces/default/cronjobs');
    expect(unknown.body).toMatchObject({ kind: 'Status', code: 404, reason: 'NotFound' });
    const notAllowed = await call('PUT', '/api/v1/namespaces/default/configmaps', {});
    expect(notAllowed.body).toMatchObject({
      kind: 'Status',
      code: 405,
      reason: 'MethodNotAllowed',
    });
    const gaps = double.unhandled.splice(0);
    expect(gaps.map((gap) => [gap.status, gap.method, gap.url])).toEqual([
      [404, 'GET', '/apis/batch/v1/namespaces/default/cronjobs'],
      [405, 'PUT', '/api/v1/namespaces/default/configmaps'],
    ]);
    expect(logged.some((line) => line.includes('/apis/batch/v1/namespaces/default/cronjobs'))).toBe(
      true,
    );
  });

  it('applies merge, strategic merge and JSON patches, bumping generation only for spec changes', async () => {
    const namespace = await createNamespace('patch');
    const base = `/apis/apps/v1/namespaces/${namespace}/deployments`;
    const created = await call('POST', base, deployment('web', UNPULLABLE));
    expect(field(created.body, 'metadata', 'generation')).toBe(1);

    const labelled = await call(
      'PATCH',
      `${base}/web`,
      { metadata: { labels: { team: 'a' } } },
      'application/merge-patch+json',
    );
    expect(field(labelled.body, 'metadata', 'labels')).toEqual({ app: 'web', team: 'a' });
    expect(field(labelled.body, 'metadata', 'generation')).toBe(1);

    const strategic = await call(
      'PATCH',
      `${base}/web`,
      {
        spec: {
          template: {
            spec: {
              containers: [
                { name: 'main', image: 'registry.local/web:2' },
                { name: 'side', image: 'proxy:1' },
              ],
            },
          },
        },
      },
      'application/strategic-merge-patch+json',
    );
    expect(field(strategic.body, 'spec', 'template', 'spec', 'containers', 0)).toMatchObject({
      name: 'main',
      image: 'registry.local/web:2',
      ports: [{ containerPort: 5000, protocol: 'TCP' }],
    });
    expect(field(strategic.body, 'spec', 'template', 'spec', 'containers', 1, 'name')).toBe('side');
    expect(field(strategic.body, 'metadata', 'generation')).toBe(2);

    const jsonPatched = await call(
      'PATCH',
      `${base}/web`,
      [
        { op: 'test', path: '/spec/replicas', value: 2 },
        { op: 'replace', path: '/spec/replicas', value: 3 },
      ],
      'application/json-patch+json',
    );
    expect(field(jsonPatched.body, 'spec', 'replicas')).toBe(3);
    const failedTest = await call(
      'PATCH',
      `${base}/web`,
      [{ op: 'test', path: '/spec/replicas', value: 9 }],
      'application/json-patch+json',
    );
    expect(failedTest.body).toMatchObject({ code: 422, reason: 'Invalid' });
  });

  it('applies server-side with field managers: conflicts are 409 unless forced', async () => {
    const namespace = await createNamespace('ssa');
    const path = `/api/v1/namespaces/${namespace}/configmaps/shared`;
    const config = (value: string): string =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'shared' },
        data: { key: value },
      });
    const created = await call(
      'PATCH',
      `${path}?fieldManager=first`,
      config('a'),
      'application/apply-patch+yaml',
    );
    expect(created.status).toBe(201);
    expect(field(created.body, 'metadata', 'managedFields', 0)).toMatchObject({
      manager: 'first',
      operation: 'Apply',
    });

    const clash = await call(
      'PATCH',
      `${path}?fieldManager=second`,
      config('b'),
      'application/apply-patch+yaml',
    );
    expect(clash.status).toBe(409);
    expect(clash.body).toMatchObject({
      reason: 'Conflict',
      message: 'Apply failed with 1 conflict: conflict with "first" using v1: .data.key',
      details: { causes: [{ reason: 'FieldManagerConflict', field: '.data.key' }] },
    });
    const forced = await call(
      'PATCH',
      `${path}?fieldManager=second&force=true`,
      config('b'),
      'application/apply-patch+yaml',
    );
    expect(forced.status).toBe(200);
    expect(field(forced.body, 'data', 'key')).toBe('b');

    const noManager = await call('PATCH', path, config('c'), 'application/apply-patch+yaml');
    expect(noManager.body).toMatchObject({ code: 422, reason: 'Invalid' });
  });

  it('does not persist a dryRun=All create', async () => {
    const namespace = await createNamespace('dryrun');
    const reply = await call('POST', `/api/v1/namespaces/${namespace}/configmaps?dryRun=All`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'ghost' },
    });
    expect(reply.status).toBe(201);
    expect((await call('GET', `/api/v1/namespaces/${namespace}/configmaps/ghost`)).status).toBe(
      404,
    );
  });
});

describe('kube-api double: selectors and lists through @kubernetes/client-node', () => {
  it('filters with label selectors (=, ==, !=, in, notin, exists, !key) and field selectors', async () => {
    const namespace = await createNamespace('select');
    const core = kubeConfig.makeApiClient(CoreV1Api);
    const labels: Record<string, Record<string, string>> = {
      a: { tier: 'web', track: 'stable' },
      b: { tier: 'web' },
      c: { tier: 'db', track: 'canary' },
      d: {},
    };
    for (const [name, itemLabels] of Object.entries(labels)) {
      await core.createNamespacedConfigMap({
        namespace,
        body: configMapBody(name, itemLabels),
      });
    }
    const names = async (labelSelector?: string, fieldSelector?: string): Promise<string[]> => {
      const request: { namespace: string; labelSelector?: string; fieldSelector?: string } = {
        namespace,
      };
      if (labelSelector !== undefined) request.labelSelector = labelSelector;
      if (fieldSelector !== undefined) request.fieldSelector = fieldSelector;
      const list = await core.listNamespacedConfigMap(request);
      return list.items.map((item) => item.metadata?.name ?? '').filter((name) => name in labels);
    };
    expect(await names('tier=web')).toEqual(['a', 'b']);
    expect(await names('tier==db')).toEqual(['c']);
    expect(await names('tier!=web')).toEqual(['c', 'd']);
    expect(await names('track in (stable,canary)')).toEqual(['a', 'c']);
    expect(await names('track notin (canary)')).toEqual(['a', 'b', 'd']);
    expect(await names('track')).toEqual(['a', 'c']);
    expect(await names('!track')).toEqual(['b', 'd']);
    expect(await names(undefined, 'metadata.name=c')).toEqual(['c']);
    expect(await names('tier=web', 'metadata.name!=a')).toEqual(['b']);

    const list = await core.listNamespacedConfigMap({ namespace, limit: 2 });
    expect(list.items).toHaveLength(2);
    expect(list.metadata?._continue).toBeTruthy();
    expect(Number(list.metadata?.resourceVersion)).toBeGreaterThan(0);

    const unsupported = await call(
      'GET',
      `/api/v1/namespaces/${namespace}/configmaps?fieldSelector=data.key%3Dx`,
    );
    expect(unsupported.body).toMatchObject({
      code: 400,
      reason: 'BadRequest',
      message: 'field label not supported: data.key',
    });
  });
});

describe('kube-api double: watch', () => {
  it('streams ADDED, MODIFIED and DELETED, resumes from a resourceVersion and honours selectors', async () => {
    const namespace = await createNamespace('watch');
    const core = kubeConfig.makeApiClient(CoreV1Api);
    const start =
      (await core.listNamespacedConfigMap({ namespace })).metadata?.resourceVersion ?? '';
    const events: string[] = [];
    const selected: string[] = [];
    const watch = new Watch(kubeConfig);
    const all = await watch.watch(
      `/api/v1/namespaces/${namespace}/configmaps`,
      { resourceVersion: start },
      (type, object: Json) => events.push(`${type} ${String(field(object, 'metadata', 'name'))}`),
      () => undefined,
    );
    const onlyBlue = await watch.watch(
      `/api/v1/namespaces/${namespace}/configmaps`,
      { resourceVersion: start, labelSelector: 'color=blue' },
      (type, object: Json) => selected.push(`${type} ${String(field(object, 'metadata', 'name'))}`),
      () => undefined,
    );
    await core.createNamespacedConfigMap({
      namespace,
      body: configMapBody('one', { color: 'blue' }),
    });
    await core.patchNamespacedConfigMap({
      namespace,
      name: 'one',
      body: [{ op: 'replace', path: '/metadata/labels/color', value: 'red' }],
    });
    await core.deleteNamespacedConfigMap({ namespace, name: 'one' });
    await eventually('three events', () => (events.length >= 3 ? true : undefined));
    await eventually('two selected events', () => (selected.length >= 2 ? true : undefined));
    all.abort();
    onlyBlue.abort();
    expect(events.filter((event) => event.endsWith(' one'))).toEqual([
      'ADDED one',
      'MODIFIED one',
      'DELETED one',
    ]);
    // Relabelled out of the selector: a DELETED event, as the watch cache sends.
    expect(selected).toEqual(['ADDED one', 'DELETED one']);

    // A watch from the first revision replays what happened since.
    const replayed: string[] = [];
    const replay = await watch.watch(
      `/api/v1/namespaces/${namespace}/configmaps`,
      { resourceVersion: start },
      (type, object: Json) => replayed.push(`${type} ${String(field(object, 'metadata', 'name'))}`),
      () => undefined,
    );
    await eventually('replay', () => (replayed.length >= 3 ? true : undefined));
    replay.abort();
    expect(replayed.filter((event) => event.endsWith(' one'))).toEqual([
      'ADDED one',
      'MODIFIED one',
      'DELETED one',
    ]);
  });

  it('sends bookmarks, ends at timeoutSeconds and answers an expired resourceVersion with 410', async () => {
    const small = await startKubeApiDouble({
      bookmarkIntervalMs: 50,
      watchHistoryLimit: 3,
      log: (line) => logged.push(line),
    });
    try {
      const config = new KubeConfig();
      config.loadFromFile(small.kubeconfigPath);
      const core = config.makeApiClient(CoreV1Api);
      const start =
        (await core.listNamespacedConfigMap({ namespace: 'default' })).metadata?.resourceVersion ??
        '';
      const seen: string[] = [];
      const ended = new Promise<void>((resolve) => {
        void new Watch(config).watch(
          '/api/v1/namespaces/default/configmaps',
          { resourceVersion: start, allowWatchBookmarks: true, timeoutSeconds: 1 },
          (type) => seen.push(type),
          () => {
            resolve();
          },
        );
      });
      await ended;
      expect(seen).toContain('BOOKMARK');

      for (const name of ['a', 'b', 'c', 'd', 'e']) {
        await core.createNamespacedConfigMap({
          namespace: 'default',
          body: configMapBody(name),
        });
      }
      const response = await fetch(
        `${small.url}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${start}`,
      );
      const line = (await response.text()).trim();
      expect(JSON.parse(line)).toMatchObject({
        type: 'ERROR',
        object: { kind: 'Status', code: 410, reason: 'Expired' },
      });

      const initial = await fetch(
        `${small.url}/api/v1/namespaces/default/configmaps?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=1`,
      );
      const lines = (await initial.text())
        .trim()
        .split('\n')
        .map((text) => JSON.parse(text) as Json);
      expect(
        lines
          .filter((event) => event.type === 'ADDED')
          .map((event) => field(event, 'object', 'metadata', 'name')),
      ).toEqual(['a', 'b', 'c', 'd', 'e', 'kube-root-ca.crt']);
      expect(
        lines.find(
          (event) =>
            event.type === 'BOOKMARK' &&
            field(event, 'object', 'metadata', 'annotations', 'k8s.io/initial-events-end') ===
              'true',
        ),
      ).toBeDefined();
      expect(small.unhandled).toEqual([]);
    } finally {
      await small.stop();
    }
  });
});

describe('kube-api double: controller simulation', () => {
  it('runs a Deployment: ReplicaSet, named and labelled pods that become Running and Ready, and status', async () => {
    const namespace = await createNamespace('deploy');
    const apps = kubeConfig.makeApiClient(AppsV1Api);
    const core = kubeConfig.makeApiClient(CoreV1Api);
    await call(
      'POST',
      `/apis/apps/v1/namespaces/${namespace}/deployments`,
      deployment('web', `${web}:1`),
    );
    const ready = await eventually('deployment ready', async () => {
      const found = await apps.readNamespacedDeployment({ namespace, name: 'web' });
      return found.status?.readyReplicas === 2 && found.status.updatedReplicas === 2
        ? found
        : undefined;
    });
    expect(ready.status).toMatchObject({
      observedGeneration: 1,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
    });
    expect(condition(ready, 'Available')).toMatchObject({
      status: 'True',
      reason: 'MinimumReplicasAvailable',
    });
    await eventually('NewReplicaSetAvailable', async () => {
      const found = await apps.readNamespacedDeployment({ namespace, name: 'web' });
      return condition(found, 'Progressing')?.reason === 'NewReplicaSetAvailable'
        ? true
        : undefined;
    });

    const replicaSets = await apps.listNamespacedReplicaSet({ namespace });
    expect(replicaSets.items).toHaveLength(1);
    const replicaSet = replicaSets.items.at(0);
    const hash = replicaSet?.metadata?.labels?.['pod-template-hash'] ?? '';
    expect(replicaSet?.metadata?.name).toBe(`web-${hash}`);
    expect(replicaSet?.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'Deployment',
      name: 'web',
      controller: true,
    });

    const pods = await core.listNamespacedPod({ namespace, labelSelector: 'app=web' });
    expect(pods.items).toHaveLength(2);
    for (const pod of pods.items) {
      expect(pod.metadata?.name).toMatch(
        new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`),
      );
      expect(pod.metadata?.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
      expect(pod.metadata?.ownerReferences?.[0]).toMatchObject({
        kind: 'ReplicaSet',
        name: `web-${hash}`,
        controller: true,
      });
      expect(pod.spec?.nodeName).toMatch(/^double-node-/);
      expect(pod.status?.phase).toBe('Running');
      expect(pod.status?.podIP).toMatch(/^10\.244\./);
      expect(pod.status?.containerStatuses?.[0]).toMatchObject({
        ready: true,
        started: true,
        restartCount: 0,
      });
      expect(pod.status?.conditions?.find((entry) => entry.type === 'Ready')?.status).toBe('True');
    }
    const running = await core.listNamespacedPod({
      namespace,
      fieldSelector: 'status.phase=Running',
    });
    expect(running.items).toHaveLength(2);
  });

  it('rolls an update out: a new ReplicaSet scales up while the old one scales down', async () => {
    const namespace = await createNamespace('rollout');
    const apps = kubeConfig.makeApiClient(AppsV1Api);
    const core = kubeConfig.makeApiClient(CoreV1Api);
    await call(
      'POST',
      `/apis/apps/v1/namespaces/${namespace}/deployments`,
      deployment('web', `${web}:1`),
    );
    await eventually('first rollout', async () =>
      (await apps.readNamespacedDeployment({ namespace, name: 'web' })).status?.readyReplicas === 2
        ? true
        : undefined,
    );
    const oldName =
      (await apps.listNamespacedReplicaSet({ namespace })).items[0]?.metadata?.name ?? '';

    await call(
      'PATCH',
      `/apis/apps/v1/namespaces/${namespace}/deployments/web`,
      {
        spec: {
          template: { spec: { containers: [{ name: 'main', image: `${web}:2` }] } },
        },
      },
      'application/strategic-merge-patch+json',
    );
    const done = await eventually('second rollout', async () => {
      const found = await apps.readNamespacedDeployment({ namespace, name: 'web' });
      const status = found.status;
      return status?.observedGeneration === 2 &&
        status.updatedReplicas === 2 &&
        status.replicas === 2 &&
        status.availableReplicas === 2
        ? found
        : undefined;
    });
    expect(done.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    const replicaSets = (await apps.listNamespacedReplicaSet({ namespace })).items;
    const fresh = replicaSets.find((item) => item.metadata?.name !== oldName);
    expect(replicaSets.find((item) => item.metadata?.name === oldName)?.spec?.replicas).toBe(0);
    expect(fresh?.spec?.replicas).toBe(2);
    const events = (
      await core.listNamespacedEvent({ namespace, fieldSelector: 'reason=ScalingReplicaSet' })
    ).items.map((event) => event.message);
    expect(events).toEqual(
      expect.arrayContaining([
        `Scaled up replica set ${oldName} from 0 to 2`,
        `Scaled up replica set ${fresh?.metadata?.name ?? ''} from 0 to 1`,
        `Scaled down replica set ${oldName} from 2 to 1`,
      ]),
    );
    await eventually('old pods gone', async () => {
      const pods = (await core.listNamespacedPod({ namespace, labelSelector: 'app=web' })).items;
      return pods.length === 2 && pods.every((pod) => pod.spec?.containers[0]?.image === `${web}:2`)
        ? true
        : undefined;
    });
  });

  it('reports ErrImagePull, then ImagePullBackOff, and ProgressDeadlineExceeded', async () => {
    const namespace = await createNamespace('pull');
    const apps = kubeConfig.makeApiClient(AppsV1Api);
    const reasons = new Set<string>();
    const watch = await new Watch(kubeConfig).watch(
      `/api/v1/namespaces/${namespace}/pods`,
      {},
      (_type, pod: Json) => {
        const reason = field(pod, 'status', 'containerStatuses', 0, 'state', 'waiting', 'reason');
        if (typeof reason === 'string') reasons.add(reason);
      },
      () => undefined,
    );
    await call(
      'POST',
      `/apis/apps/v1/namespaces/${namespace}/deployments`,
      // A tag the registry does not have: a real 404 from a real registry.
      deployment('broken', `${web}:never-pushed`, {
        replicas: 1,
        progressDeadlineSeconds: 1,
      }),
    );
    const failed = await eventually('progress deadline', async () => {
      const found = await apps.readNamespacedDeployment({ namespace, name: 'broken' });
      return condition(found, 'Progressing')?.reason === 'ProgressDeadlineExceeded'
        ? found
        : undefined;
    });
    await eventually('both pull reasons', () =>
      reasons.has('ErrImagePull') && reasons.has('ImagePullBackOff') ? true : undefined,
    );
    watch.abort();
    expect(condition(failed, 'Progressing')).toMatchObject({
      status: 'False',
      message: expect.stringContaining('has timed out progressing') as string,
    });
    expect(condition(failed, 'Available')).toMatchObject({
      status: 'False',
      reason: 'MinimumReplicasUnavailable',
    });
    expect(failed.status?.readyReplicas).toBeUndefined();
    expect(failed.status?.unavailableReplicas).toBe(1);
  });

  it('reports CrashLoopBackOff with a growing restartCount and the last termination', async () => {
    const namespace = await createNamespace('crash');
    const core = kubeConfig.makeApiClient(CoreV1Api);
    await call(
      'POST',
      `/apis/apps/v1/namespaces/${namespace}/deployments`,
      deployment(
        'crashy',
        `${web}:1`,
        { replicas: 1 },
        { command: ['node', '-e', 'process.exit(1)'] },
      ),
    );
    const pod = await eventually('two restarts', async () => {
      const found = (await core.listNamespacedPod({ namespace })).items.at(0);
      const status = found?.status?.containerStatuses?.[0];
      return status !== undefined &&
        status.restartCount >= 2 &&
        status.state?.waiting?.reason === 'CrashLoopBackOff'
        ? found
        : undefined;
    });
    const status = pod.status?.containerStatuses?.[0];
    expect(status?.ready).toBe(false);
    expect(status?.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(pod.status?.phase).toBe('Running');
  });

  it('gives Services addresses: ClusterIP, node ports, LoadBalancer IPs; nodes have addresses; Endpoints follow ready pods', async () => {
    const namespace = await createNamespace('svc');
    const core = kubeConfig.makeApiClient(CoreV1Api);
    const service = (name: string, type: string): Json => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name },
      spec: { type, selector: { app: 'web' }, ports: [{ port: 80, targetPort: 5000 }] },
    });
    const clusterIp = await call(
      'POST',
      `/api/v1/namespaces/${namespace}/services`,
      service('internal', 'ClusterIP'),
    );
    const ip = String(field(clusterIp.body, 'spec', 'clusterIP'));
    const [first, second] = ip.split('.').map(Number);
    expect(first).toBe(10);
    expect(second).toBeGreaterThanOrEqual(96);
    expect(second).toBeLessThanOrEqual(111);
    expect(field(clusterIp.body, 'spec', 'ports', 0)).toMatchObject({
      protocol: 'TCP',
      targetPort: 5000,
    });

    const nodePort = await call(
      'POST',
      `/api/v1/namespaces/${namespace}/services`,
      service('public', 'NodePort'),
    );
    const port = Number(field(nodePort.body, 'spec', 'ports', 0, 'nodePort'));
    expect(port).toBeGreaterThanOrEqual(30000);
    expect(port).toBeLessThanOrEqual(32767);
    const clash = await call('POST', `/api/v1/namespaces/${namespace}/services`, {
      ...service('clash', 'NodePort'),
      spec: { type: 'NodePort', ports: [{ port: 80, nodePort: port }] },
    });
    expect(clash.body).toMatchObject({
      code: 422,
      reason: 'Invalid',
      message: expect.stringContaining('provided port is already allocated') as string,
    });

    await call(
      'POST',
      `/api/v1/namespaces/${namespace}/services`,
      service('balanced', 'LoadBalancer'),
    );
    const balanced = await eventually('load balancer ip', async () => {
      const found = await core.readNamespacedService({ namespace, name: 'balanced' });
      return found.status?.loadBalancer?.ingress?.[0]?.ip === undefined ? undefined : found;
    });
    expect(balanced.status?.loadBalancer?.ingress?.[0]?.ip).toMatch(/^203\.0\.113\.\d+$/);

    const nodes = await core.listNode();
    expect(nodes.items.length).toBeGreaterThan(0);
    for (const node of nodes.items) {
      // Every node is this machine: its node ports listen on 127.0.0.1.
      expect(node.status?.addresses).toEqual(
        expect.arrayContaining([
          { type: 'InternalIP', address: '127.0.0.1' },
          { type: 'ExternalIP', address: '127.0.0.1' },
        ]),
      );
    }
    // Nothing is Ready yet: the node port resets the connection.
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();

    // Ready once it answers HTTP: a pod that is Ready before it listens would reset connections.
    const answers = { readinessProbe: { httpGet: { path: '/', port: 5000 }, periodSeconds: 1 } };
    await call(
      'POST',
      `/apis/apps/v1/namespaces/${namespace}/deployments`,
      deployment('web', `${web}:1`, {}, answers),
    );
    // Selected by the Services too, and listening, but never Ready: no traffic may reach it.
    await call('POST', `/api/v1/namespaces/${namespace}/pods`, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'unready', labels: { app: 'web', role: 'unready' } },
      spec: {
        containers: [
          {
            name: 'main',
            image: `${web}:1`,
            env: [{ name: 'REVISION', value: 'never-ready' }],
            readinessProbe: { exec: { command: ['false'] }, periodSeconds: 1 },
          },
        ],
      },
    });
    const endpoints = await eventually('endpoints', async () => {
      const found = await core
        .readNamespacedEndpoints({ namespace, name: 'internal' })
        .catch(() => undefined);
      const subset = found?.subsets?.[0];
      return subset?.addresses?.length === 2 && subset.notReadyAddresses?.length === 1
        ? found
        : undefined;
    });
    expect(endpoints.subsets?.[0]?.ports?.[0]?.port).toBe(5000);
    // The node port reaches the Ready pods only: both listen on port 5000, each in its own network
    // namespace, and each answers; the unready one, chosen at random, would answer never-ready.
    const replies = await Promise.all(
      Array.from({ length: 12 }, async () => (await fetch(`http://127.0.0.1:${port}/`)).json()),
    );
    expect(replies).toEqual(
      Array.from({ length: 12 }, () => ({ message: 'Hello, World!', revision: 'unknown' })),
    );
  });

  it('deletes dependents with the owner, and a namespace with its content', async () => {
    const namespace = await createNamespace('gc');
    const apps = kubeConfig.makeApiClient(AppsV1Api);
    const core = kubeConfig.makeApiClient(CoreV1Api);
    await call(
      'POST',
      `/apis/apps/v1/namespaces/${namespace}/deployments`,
      deployment('web', UNPULLABLE),
    );
    await eventually('pods', async () =>
      (await core.listNamespacedPod({ namespace })).items.length === 2 ? true : undefined,
    );
    await apps.deleteNamespacedDeployment({ namespace, name: 'web' });
    await eventually('replicasets and pods gone', async () => {
      const replicaSets = (await apps.listNamespacedReplicaSet({ namespace })).items.length;
      const pods = (await core.listNamespacedPod({ namespace })).items.length;
      return replicaSets === 0 && pods === 0 ? true : undefined;
    });

    await call('POST', `/api/v1/namespaces/${namespace}/configmaps`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'left' },
    });
    const deleting = await call('DELETE', `/api/v1/namespaces/${namespace}`);
    expect(field(deleting.body, 'status', 'phase')).toBe('Terminating');
    const refused = await call('POST', `/api/v1/namespaces/${namespace}/configmaps`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'late' },
    });
    expect([403, 404]).toContain(refused.status);
    await eventually('namespace gone', async () =>
      (await call('GET', `/api/v1/namespaces/${namespace}`)).status === 404 ? true : undefined,
    );
    const leftovers = await call('GET', `/api/v1/namespaces/${namespace}/configmaps`);
    expect(leftovers.body.items).toEqual([]);
  });
});

describe('kube-api double: deletion propagation', () => {
  it('orphans dependents with propagationPolicy=Orphan and waits for them with Foreground', async () => {
    const namespace = await createNamespace('propagate');
    const apps = kubeConfig.makeApiClient(AppsV1Api);
    const base = `/apis/apps/v1/namespaces/${namespace}/deployments`;
    await call('POST', base, deployment('kept', UNPULLABLE, { replicas: 1 }));
    await call('POST', base, deployment('waited', UNPULLABLE, { replicas: 1 }));
    await eventually('two replica sets', async () =>
      (await apps.listNamespacedReplicaSet({ namespace })).items.length === 2 ? true : undefined,
    );

    await call('DELETE', `${base}/kept?propagationPolicy=Orphan`);
    const orphan = await eventually('orphaned replica set', async () => {
      const found = (
        await apps.listNamespacedReplicaSet({ namespace, labelSelector: 'app=kept' })
      ).items.at(0);
      const deploymentGone = (await call('GET', `${base}/kept`)).status === 404;
      return deploymentGone && found !== undefined && found.metadata?.ownerReferences === undefined
        ? found
        : undefined;
    });
    expect(orphan.spec?.replicas).toBe(1);

    const foreground = await call('DELETE', `${base}/waited`, {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      propagationPolicy: 'Foreground',
    });
    expect(foreground.status).toBe(200);
    expect(field(foreground.body, 'metadata', 'finalizers')).toEqual(['foregroundDeletion']);
    expect(field(foreground.body, 'metadata', 'deletionTimestamp')).toEqual(expect.any(String));
    await eventually('foreground deletion done', async () => {
      const replicaSets = (
        await apps.listNamespacedReplicaSet({ namespace, labelSelector: 'app=waited' })
      ).items;
      const gone = (await call('GET', `${base}/waited`)).status === 404;
      return gone && replicaSets.length === 0 ? true : undefined;
    });
  });
});

describe('kube-api double: real helm v4 and @kubernetes/client-node', () => {
  it('installs, upgrades, lists history, rolls back, reports status and uninstalls chart/hello-world', async () => {
    const { helmBin, workDir } = testEnv();
    const namespace = uniqueName('helm');
    const release = uniqueName('hello');
    const valuesFile = join(workDir, `${release}-values.yaml`);
    writeFileSync(valuesFile, 'replicaCount: 2\nservice:\n  type: NodePort\n');
    const connection = [
      '--kubeconfig',
      double.kubeconfigPath,
      '--kube-context',
      double.contextName,
    ];
    const deploy = (tag: string) =>
      execa(helmBin, [
        'upgrade',
        '--install',
        release,
        join(repoRoot, 'chart', 'hello-world'),
        '--namespace',
        namespace,
        '--create-namespace',
        ...connection,
        '--set',
        `image.repository=${web}`,
        '--set',
        `image.tag=${tag}`,
        '-f',
        valuesFile,
        '--wait',
        '--timeout',
        '60s',
      ]);

    const installed = await deploy('1.0.0');
    expect(installed.stdout).toContain('STATUS: deployed');
    // helm v4 applies manifests server-side.
    expect(
      double.requests.some(
        (request) =>
          request.method === 'PATCH' &&
          request.contentType === 'application/apply-patch+yaml' &&
          request.query.includes('fieldManager=helm'),
      ),
    ).toBe(true);

    const core = kubeConfig.makeApiClient(CoreV1Api);
    const apps = kubeConfig.makeApiClient(AppsV1Api);
    const pods = await core.listNamespacedPod({
      namespace,
      labelSelector: `app.kubernetes.io/instance=${release}`,
    });
    expect(pods.items).toHaveLength(2);
    expect(pods.items.every((pod) => pod.status?.phase === 'Running')).toBe(true);

    const upgraded = await deploy('1.0.1');
    expect(upgraded.stdout).toContain('REVISION: 2');
    const deploymentName =
      (
        await apps.listNamespacedDeployment({
          namespace,
          labelSelector: `app.kubernetes.io/instance=${release}`,
        })
      ).items[0]?.metadata?.name ?? '';
    expect(deploymentName).not.toBe('');

    // Follow the rollout with a Watch until updated and ready replicas equal the desired count.
    const rolledOut = await new Promise<Json>((resolve, reject) => {
      void new Watch(kubeConfig)
        .watch(
          `/apis/apps/v1/namespaces/${namespace}/deployments`,
          { fieldSelector: `metadata.name=${deploymentName}` },
          (_type, object: Json) => {
            const desired = field(object, 'spec', 'replicas');
            if (
              field(object, 'status', 'updatedReplicas') === desired &&
              field(object, 'status', 'readyReplicas') === desired
            )
              resolve(object);
          },
          (error: unknown) => {
            if (error !== null && error !== undefined)
              reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
          },
        )
        .then((controller) => {
          setTimeout(() => {
            controller.abort();
          }, 60_000).unref();
        });
    });
    expect(field(rolledOut, 'spec', 'template', 'spec', 'containers', 0, 'image')).toBe(
      `${web}:1.0.1`,
    );

    const service = (
      await core.listNamespacedService({
        namespace,
        labelSelector: `app.kubernetes.io/instance=${release}`,
      })
    ).items.at(0);
    const nodePort = service?.spec?.ports?.[0]?.nodePort ?? 0;
    expect(service?.spec?.type).toBe('NodePort');
    expect(nodePort).toBeGreaterThanOrEqual(30000);
    const externalIp = (await core.listNode()).items[0]?.status?.addresses?.find(
      (address) => address.type === 'ExternalIP',
    )?.address;
    expect(externalIp).toBe('127.0.0.1');
    // The release's NodePort Service answers there, from a pod running the chart's container
    // (non-root, read-only root file system, its readiness and liveness probes).
    const answer = await fetch(`http://${externalIp ?? ''}:${nodePort}/`);
    expect(await answer.json()).toEqual({ message: 'Hello, World!', revision: 'unknown' });

    const history = await execa(helmBin, [
      'history',
      release,
      '--namespace',
      namespace,
      ...connection,
    ]);
    expect(history.stdout).toMatch(/1\s+.*superseded/);
    expect(history.stdout).toMatch(/2\s+.*deployed/);

    await execa(helmBin, [
      'rollback',
      release,
      '1',
      '--namespace',
      namespace,
      ...connection,
      '--wait',
      '--timeout',
      '60s',
    ]);
    const status = await execa(helmBin, [
      'status',
      release,
      '--namespace',
      namespace,
      ...connection,
    ]);
    expect(status.stdout).toContain('REVISION: 3');
    expect(status.stdout).toContain('STATUS: deployed');
    await eventually('rolled back image', async () => {
      const found = await apps.readNamespacedDeployment({ namespace, name: deploymentName });
      const image = found.spec?.template.spec?.containers[0]?.image;
      return image === `${web}:1.0.0` && found.status?.updatedReplicas === 2 ? true : undefined;
    });

    await execa(helmBin, [
      'uninstall',
      release,
      '--namespace',
      namespace,
      ...connection,
      '--wait',
      '--timeout',
      '60s',
    ]);
    const left = await apps.listNamespacedDeployment({ namespace });
    expect(left.items).toEqual([]);
    const secrets = await core.listNamespacedSecret({ namespace, labelSelector: 'owner=helm' });
    expect(secrets.items).toEqual([]);
  });
});
