import { DockerodeImageBuilder } from '../../core/adapters/dockerode-image-builder.js';
import { dockerFromHost } from '../support/docker-engine.js';
import { pushFixtureImage } from '../support/fixture-images.js';
import { startKubeApiDouble, type KubeApiDouble } from '../support/kube-api/index.js';
import { EVENTS, NAMESPACES, PODS, SECRETS } from '../support/kube-api/controllers/kinds.js';
import { stringAt, type JsonObject } from '../support/kube-api/json.js';
import type { KubeObject } from '../support/kube-api/objects.js';
import { LABELS } from '../support/kube-api/kubelet/owner-labels.js';
import { PAUSE_COMMAND, PAUSE_IMAGE } from '../support/kube-api/kubelet/pause-image.js';
import { testEnv, uniqueName } from '../support/test-env.js';

/** What the kubelet of the Kubernetes double does with real containers, beyond what the API tests cover. */
let double: KubeApiDouble;
let image: string;
const logged: string[] = [];
const docker = () => dockerFromHost(testEnv().dockerHost);
const WRITE = { fieldManager: 'test', dryRun: false } as const;

beforeAll(async () => {
  image = `${await pushFixtureImage({
    fixture: 'tiny',
    repository: `${uniqueName('kubelet')}/tiny`,
    tags: ['1'],
  })}:1`;
  double = await startKubeApiDouble({
    backOffMs: 100,
    probeTimeScale: 0.1,
    log: (line) => logged.push(line),
  });
});

afterAll(async () => {
  await double.stop();
});

const namespaces: string[] = [];

afterEach(() => {
  // Each test's pods stop with its namespace, so that they do not load the engine for the next.
  for (const name of namespaces.splice(0))
    double.api.delete(NAMESPACES, '', name, { dryRun: false });
  expect(double.unhandled).toEqual([]);
  expect(logged.filter((line) => line.includes('controller error'))).toEqual([]);
});

/**
 * Waits for a condition as long as jest lets the test run (testTimeout is 120 s), less a margin so
 * that a failure still names what it waited for. A slow, loaded machine only makes it wait longer.
 */
async function until<T>(what: string, probe: () => T | undefined, limitMs = 100_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function createPod(namespace: string, name: string, spec: JsonObject): void {
  double.api.create(
    PODS,
    namespace,
    { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec },
    WRITE,
  );
}

function pod(namespace: string, name: string): KubeObject | undefined {
  return double.api.tryGet(PODS, namespace, name);
}

function container(found: KubeObject | undefined): JsonObject | undefined {
  const statuses = (found?.status as JsonObject | undefined)?.containerStatuses;
  return Array.isArray(statuses) ? (statuses[0] as JsonObject | undefined) : undefined;
}

function eventMessages(namespace: string, name: string): string[] {
  return double.api.store
    .list(EVENTS, namespace)
    .filter((event) => (event.involvedObject as JsonObject).name === name)
    .map((event) => `${stringAt(event, 'reason') ?? ''}: ${stringAt(event, 'message') ?? ''}`);
}

function namespace(): string {
  const name = uniqueName('kubelet');
  double.api.create(
    NAMESPACES,
    '',
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
    WRITE,
  );
  namespaces.push(name);
  return name;
}

function ready(found: KubeObject | undefined): boolean {
  return container(found)?.ready === true;
}

describe('the kube-api double kubelet runs pods in the test Docker Engine', () => {
  it('pulls from a registry that needs credentials only with a kubernetes.io/dockerconfigjson imagePullSecret', async () => {
    const { authRegistry, dockerHost } = testEnv();
    const reference = `${authRegistry.address}/${uniqueName('private')}/tiny:1`;
    const engine = dockerFromHost(dockerHost);
    await engine.getImage(image).tag({ repo: reference.replace(/:1$/, ''), tag: '1' });
    const credentials = { username: authRegistry.username, password: authRegistry.password };
    await new DockerodeImageBuilder(engine).push({ reference, credentials });
    const ns = namespace();
    createPod(ns, 'anonymous', { containers: [{ name: 'main', image: reference }] });
    const refused = await until('ErrImagePull without credentials', () => {
      const waiting = (container(pod(ns, 'anonymous'))?.state as JsonObject | undefined)
        ?.waiting as JsonObject | undefined;
      return waiting?.reason === 'ErrImagePull' ? waiting : undefined;
    });
    expect(stringAt(refused, 'message')).toContain(
      `failed to pull and unpack image "${reference}"`,
    );

    const auth = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
    const dockerConfig = { auths: { [authRegistry.address]: { auth } } };
    double.api.create(
      SECRETS,
      ns,
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'registry' },
        type: 'kubernetes.io/dockerconfigjson',
        data: { '.dockerconfigjson': Buffer.from(JSON.stringify(dockerConfig)).toString('base64') },
      },
      WRITE,
    );
    createPod(ns, 'with-secret', {
      imagePullSecrets: [{ name: 'registry' }],
      containers: [{ name: 'main', image: reference }],
    });
    await until('the pod with the secret runs', () =>
      ready(pod(ns, 'with-secret')) ? true : undefined,
    );
    expect(container(pod(ns, 'with-secret'))?.imageID).toMatch(/@sha256:[0-9a-f]{64}$/);
  });

  it("sets Ready from an exec readiness probe, in a container whose environment has the pod's fields", async () => {
    const ns = namespace();
    const probe = (expected: string) => ({
      exec: { command: ['sh', '-c', `test "$POD_NAME/$POD_NAMESPACE" = "${expected}"`] },
      periodSeconds: 5,
    });
    const env = [
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    ];
    createPod(ns, 'right', {
      containers: [{ name: 'main', image, env, readinessProbe: probe(`right/${ns}`) }],
    });
    createPod(ns, 'wrong', {
      containers: [{ name: 'main', image, env, readinessProbe: probe('someone/else') }],
    });
    await until('the right pod is ready', () => (ready(pod(ns, 'right')) ? true : undefined));
    await until('the wrong pod has failed its probe', () =>
      eventMessages(ns, 'wrong').some((message) =>
        message.startsWith('Unhealthy: Readiness probe failed'),
      )
        ? true
        : undefined,
    );
    expect(ready(pod(ns, 'wrong'))).toBe(false);
    expect((pod(ns, 'wrong')?.status as JsonObject).phase).toBe('Running');
  });

  it('restarts a container whose liveness probe fails', async () => {
    const ns = namespace();
    createPod(ns, 'unwell', {
      containers: [
        {
          name: 'main',
          image,
          livenessProbe: { tcpSocket: { port: 5999 }, periodSeconds: 1, failureThreshold: 2 },
        },
      ],
    });
    const restarted = await until('a restart', () => {
      const status = container(pod(ns, 'unwell'));
      return Number(status?.restartCount) >= 1 ? status : undefined;
    });
    expect(eventMessages(ns, 'unwell')).toContain(
      'Killing: Container main failed liveness probe, will be restarted',
    );
    expect(restarted.lastState).toMatchObject({
      terminated: { containerID: expect.stringMatching(/^docker:\/\//) as string },
    });
  });

  it('ends a pod by its restart policy: Never and exit 0 is Succeeded, OnFailure restarts a failure', async () => {
    const ns = namespace();
    createPod(ns, 'once', {
      restartPolicy: 'Never',
      containers: [{ name: 'main', image, command: ['node', '-e', 'process.exit(0)'] }],
    });
    createPod(ns, 'again', {
      restartPolicy: 'OnFailure',
      containers: [{ name: 'main', image, command: ['node', '-e', 'process.exit(4)'] }],
    });
    await until('Succeeded', () =>
      (pod(ns, 'once')?.status as JsonObject | undefined)?.phase === 'Succeeded' ? true : undefined,
    );
    expect(container(pod(ns, 'once'))?.state).toMatchObject({
      terminated: { exitCode: 0, reason: 'Completed' },
    });
    const again = await until('a restart after exit code 4', () => {
      const status = container(pod(ns, 'again'));
      return Number(status?.restartCount) >= 1 ? status : undefined;
    });
    expect(again.lastState).toMatchObject({ terminated: { exitCode: 4, reason: 'Error' } });
  });

  it("stops a deleted pod's containers, SIGKILL after the grace period when SIGTERM is ignored, then the pod is gone", async () => {
    const ns = namespace();
    // As PID 1, sh ignores SIGTERM: only the SIGKILL after terminationGracePeriodSeconds ends it.
    createPod(ns, 'stubborn', {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'main', image, command: ['sh', '-c', 'while true; do sleep 1; done'] }],
    });
    const running = await until('running', () =>
      ready(pod(ns, 'stubborn')) ? pod(ns, 'stubborn') : undefined,
    );
    const uid = running.metadata.uid ?? '';
    const containers = () =>
      docker().listContainers({ all: true, filters: { label: [`${LABELS.podUid}=${uid}`] } });
    expect((await containers()).length).toBe(2); // the pause container and main
    double.api.delete(PODS, ns, 'stubborn', { dryRun: false });
    expect(pod(ns, 'stubborn')?.metadata.deletionTimestamp).toBeDefined();
    await until('the pod is gone', () => (pod(ns, 'stubborn') === undefined ? true : undefined));
    expect(await containers()).toEqual([]);
    expect(eventMessages(ns, 'stubborn')).toContain('Killing: Stopping container main');
  });

  it('leaves a pod bound to a node it is not the agent of as the API has it, its status as written', async () => {
    const ns = namespace();
    // A pod of another kubelet (a virtual kubelet's node): bound, never run here.
    createPod(ns, 'elsewhere', {
      nodeName: 'virtual-node-1',
      containers: [{ name: 'main', image }],
    });
    const created = pod(ns, 'elsewhere');
    const uid = created?.metadata.uid ?? '';
    const status = {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [
        {
          name: 'main',
          image,
          imageID: '',
          ready: true,
          restartCount: 0,
          started: true,
          state: { running: { startedAt: new Date().toISOString() } },
        },
      ],
    };
    double.api.update(
      PODS,
      ns,
      'elsewhere',
      { ...created, status },
      { ...WRITE, subresource: 'status' },
    );
    // A pod of its own, created after, runs: by then the other would have been started too.
    createPod(ns, 'here', { containers: [{ name: 'main', image }] });
    await until('its own pod runs', () => (ready(pod(ns, 'here')) ? true : undefined));
    const containers = await docker().listContainers({
      all: true,
      filters: { label: [`${LABELS.podUid}=${uid}`] },
    });
    expect(containers).toEqual([]);
    expect(pod(ns, 'elsewhere')?.status).toMatchObject({ phase: 'Running' });
    expect(container(pod(ns, 'elsewhere'))).toMatchObject({ ready: true, restartCount: 0 });
    expect(eventMessages(ns, 'elsewhere')).toEqual([]);
  });

  it('removes its containers when the double stops, and those of a test process that died at start-up', async () => {
    const engine = docker();
    // A sandbox left by a process that no longer runs (pid 0 is never a test process).
    const stale = await engine.createContainer({
      Image: PAUSE_IMAGE,
      Cmd: PAUSE_COMMAND,
      Labels: { [LABELS.managed]: 'true', [LABELS.ownerPid]: '0', [LABELS.ownerStart]: '0' },
      HostConfig: { NetworkMode: 'none' },
    });
    const other = await startKubeApiDouble({ backOffMs: 100 });
    await expect(engine.getContainer(stale.id).inspect()).rejects.toThrow();
    const ns = uniqueName('stop');
    other.api.create(
      NAMESPACES,
      '',
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
      WRITE,
    );
    other.api.create(
      PODS,
      ns,
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p' },
        spec: { containers: [{ name: 'main', image }] },
      },
      WRITE,
    );
    const mine = () =>
      engine.listContainers({ all: true, filters: { label: [`${LABELS.podNamespace}=${ns}`] } });
    await until('running', () => (ready(other.api.tryGet(PODS, ns, 'p')) ? true : undefined));
    expect((await mine()).length).toBe(2);
    await other.stop();
    expect(await mine()).toEqual([]);
  });
});
