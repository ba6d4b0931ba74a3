import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { execa } from 'execa';
import { copyFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { KubernetesCluster } from '../../core/adapters/kubernetes-cluster.js';
import { LazyKubernetesCluster } from '../../core/adapters/lazy-kubernetes-cluster.js';
import type { ClusterTarget, PodSummary } from '../../core/ports/cluster.js';
import {
  DEFAULT_NODES,
  renderKubeconfig,
  startKubeApiDouble,
  type KubeApiDouble,
} from '../support/kube-api/index.js';
import { pushFixtureImage } from '../support/fixture-images.js';
import { repoRoot } from '../support/paths.js';
import { testEnv, uniqueName } from '../support/test-env.js';
import { deployErrorOf } from '../support/deploy-error-of.js';
import { eventuallyValue } from '../support/eventually.js';

let double: KubeApiDouble;
let cluster: KubernetesCluster;
const logged: string[] = [];
/** The chart's image: tag 1.0.0 runs the tiny fixture service, crash-1 exits 1 at start. */
let repository: string;

beforeAll(async () => {
  const path = `${uniqueName('cluster')}/hello-world`;
  repository = await pushFixtureImage({ fixture: 'tiny', repository: path, tags: ['1.0.0'] });
  await pushFixtureImage({ fixture: 'exits-at-start', repository: path, tags: ['crash-1'] });
  double = await startKubeApiDouble({
    backOffMs: 100,
    probeTimeScale: 0.1,
    log: (line) => logged.push(line),
  });
  cluster = new KubernetesCluster({ kubeconfigPath: double.kubeconfigPath });
});

afterAll(async () => {
  await double.stop();
});

afterEach(() => {
  // A request the double does not implement would be a gap to find, not to hide.
  expect(double.unhandled).toEqual([]);
  expect(logged.filter((line) => line.includes('controller error'))).toEqual([]);
});

interface Install {
  namespace?: string;
  set?: string[];
  tag?: string;
  wait?: boolean;
}

/** A fresh namespace and release, installed from chart/hello-world with real helm. */
async function install(options: Install = {}): Promise<{ target: ClusterTarget; release: string }> {
  const namespace = options.namespace ?? uniqueName('cluster');
  const release = uniqueName('hello');
  const sets = [
    `image.repository=${repository}`,
    `image.tag=${options.tag ?? '1.0.0'}`,
    ...(options.set ?? []),
  ];
  await execa(testEnv().helmBin, [
    'upgrade',
    '--install',
    release,
    join(repoRoot, 'chart', 'hello-world'),
    '--namespace',
    namespace,
    '--create-namespace',
    '--kubeconfig',
    double.kubeconfigPath,
    '--kube-context',
    double.contextName,
    ...sets.flatMap((value) => ['--set', value]),
    ...(options.wait === false ? [] : ['--wait', '--timeout', '60s']),
  ]);
  return { target: { namespace, kubeContext: double.contextName }, release };
}

const eventually = eventuallyValue;

async function nodePortOf(target: ClusterTarget, release: string): Promise<number> {
  const config = new KubeConfig();
  config.loadFromFile(double.kubeconfigPath);
  const services = await config.makeApiClient(CoreV1Api).listNamespacedService({
    namespace: target.namespace,
    labelSelector: `app.kubernetes.io/instance=${release}`,
  });
  return services.items[0]?.spec?.ports?.[0]?.nodePort ?? 0;
}

const failure = deployErrorOf;

const nodeNames = DEFAULT_NODES.map((node) => node.name);
const externalIps = DEFAULT_NODES.map((node) => node.externalIp);

describe('KubernetesCluster against the Kubernetes API double, with releases installed by real helm', () => {
  it('lists the pods of a release, Ready and Running on nodes, and its NodePort address', async () => {
    const { target, release } = await install();
    // Another release in the same namespace is not part of this one.
    const other = await install({ namespace: target.namespace, set: ['replicaCount=1'] });
    expect(await cluster.listPods(target, other.release)).toHaveLength(1);
    const pods = await cluster.listPods(target, release);
    expect(pods).toHaveLength(2);
    for (const pod of pods) {
      expect(pod).toEqual({
        name: expect.stringMatching(new RegExp(`^${release}-hello-world-`)) as string,
        phase: 'Running',
        readyContainers: 1,
        totalContainers: 1,
        restarts: 0,
        createdAt: expect.any(Date) as Date,
        node: expect.stringMatching(/^double-node-\d$/) as string,
      });
      expect(nodeNames).toContain(pod.node);
    }

    const nodePort = await nodePortOf(target, release);
    expect(nodePort).toBeGreaterThanOrEqual(30000);
    const address = await cluster.serviceAddress(target, release);
    expect(address).toEqual({
      kind: 'node-port',
      host: expect.any(String) as string,
      port: nodePort,
      url: `http://${address?.host ?? ''}:${nodePort}`,
    });
    expect(externalIps).toContain(address?.host);
    // The address reaches the release's Ready pods.
    const answer = await fetch(address?.url ?? '');
    expect(await answer.json()).toEqual({ message: 'Hello, World!', revision: 'unknown' });
  });

  it("gives a LoadBalancer Service's ingress IP", async () => {
    const { target, release } = await install({ set: ['service.type=LoadBalancer'] });
    const address = await eventually('a load balancer address', async () => {
      const found = await cluster.serviceAddress(target, release);
      return found?.kind === 'load-balancer' ? found : undefined;
    });
    expect(address).toEqual({
      kind: 'load-balancer',
      host: expect.stringMatching(/^203\.0\.113\.\d+$/) as string,
      port: 5000,
      url: `http://${address.host}:5000`,
    });
  });

  it('gives the Ingress host for a ClusterIP Service with an Ingress', async () => {
    const { target, release } = await install({
      set: ['service.type=ClusterIP', 'ingress.enabled=true', `ingress.name=${uniqueName('gw')}`],
    });
    expect(await cluster.serviceAddress(target, release)).toEqual({
      kind: 'ingress',
      host: 'hello-world.local',
      url: 'http://hello-world.local',
    });
  });

  it('gives the ClusterIP, marked internal, when nothing else reaches the release', async () => {
    const { target, release } = await install({ set: ['service.type=ClusterIP'] });
    const address = await cluster.serviceAddress(target, release);
    expect(address).toEqual({
      kind: 'cluster-ip',
      host: expect.stringMatching(/^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/) as string,
      port: 5000,
      url: `http://${address?.host ?? ''}:5000`,
      internal: true,
    });
  });

  it('finds nothing for a release that is not there, or a namespace that does not exist', async () => {
    const { target } = await install();
    expect(await cluster.listPods(target, 'not-installed')).toEqual([]);
    expect(await cluster.serviceAddress(target, 'not-installed')).toBeUndefined();
    const nowhere = { namespace: uniqueName('absent'), kubeContext: double.contextName };
    expect(await cluster.listPods(nowhere, 'hello')).toEqual([]);
    expect(await cluster.serviceAddress(nowhere, 'hello')).toBeUndefined();
  });

  it('shows a crash loop as the problem, with restarts', async () => {
    const { target, release } = await install({ tag: 'crash-1', wait: false });
    const pods = await eventually('pods in CrashLoopBackOff with restarts', async () => {
      const found = await cluster.listPods(target, release);
      return found.length === 2 &&
        found.every((pod) => pod.problem === 'CrashLoopBackOff' && pod.restarts > 0)
        ? found
        : undefined;
    });
    for (const pod of pods) {
      expect(pod).toMatchObject<Partial<PodSummary>>({
        phase: 'Running',
        readyContainers: 0,
        totalContainers: 1,
        problem: 'CrashLoopBackOff',
      });
    }
  });

  it('reads long lists page by page', async () => {
    const { target, release } = await install({ set: ['replicaCount=3'] });
    const paged = new KubernetesCluster({ kubeconfigPath: double.kubeconfigPath, pageSize: 2 });
    const before = double.requests.length;
    const pods = await paged.listPods(target, release);
    const pages = double.requests
      .slice(before)
      .filter((request) => request.path === `/api/v1/namespaces/${target.namespace}/pods`);
    expect(pages).toHaveLength(2);
    expect(pages[1]?.query).toContain('continue=');
    expect(pods).toHaveLength(3);
    expect(pods).toEqual(await cluster.listPods(target, release));
  });

  it('answers the same through LazyKubernetesCluster, which loads the client at its first call', async () => {
    const { target, release } = await install({ set: ['replicaCount=1'] });
    const lazy = new LazyKubernetesCluster({ kubeconfigPath: double.kubeconfigPath });
    const [pods, address] = [
      await lazy.listPods(target, release),
      await lazy.serviceAddress(target, release),
    ];
    expect(pods).toHaveLength(1);
    expect(pods).toEqual(await cluster.listPods(target, release));
    expect(address?.kind).toBe('node-port');
    expect(address).toEqual(await cluster.serviceAddress(target, release));
    expect(await lazy.waitForRollout({ target, release, timeoutMs: 30_000 })).toMatchObject({
      desired: 1,
      ready: 1,
    });
  });

  it('uses the current context when none is named', async () => {
    const { target, release } = await install();
    expect(await cluster.listPods({ namespace: target.namespace }, release)).toHaveLength(2);
  });
});

describe('KubernetesCluster failures, as CLUSTER_UNAVAILABLE a person can act on', () => {
  it('names an unknown kube context and the contexts there are', async () => {
    const error = await failure(
      cluster.listPods({ namespace: 'default', kubeContext: 'production-eu' }, 'hello'),
    );
    expect(error.code).toBe('CLUSTER_UNAVAILABLE');
    expect(error.message).toBe(
      `kube context "production-eu" is not in the kubeconfig at ${double.kubeconfigPath}; its contexts are: ${double.contextName}`,
    );
  });

  it('says it cannot reach a stopped API server, naming server and context', async () => {
    const stopped = await startKubeApiDouble({ contextName: 'stopped-cluster' });
    // The kubeconfig outlives the server, as it would on a machine whose cluster went away.
    const path = join(testEnv().workDir, `${uniqueName('kubeconfig')}.yaml`);
    copyFileSync(stopped.kubeconfigPath, path);
    const client = new KubernetesCluster({ kubeconfigPath: path });
    await stopped.stop();
    for (const call of [
      client.listPods({ namespace: 'default' }, 'hello'),
      client.serviceAddress({ namespace: 'default', kubeContext: 'stopped-cluster' }, 'hello'),
    ]) {
      const error = await failure(call);
      expect(error.code).toBe('CLUSTER_UNAVAILABLE');
      expect(error.retryable).toBe(true);
      expect(error.message).toBe(
        `cannot reach the Kubernetes API at ${stopped.url} (context stopped-cluster): connection refused`,
      );
    }
  });

  it('says the credentials were refused, without repeating the token', async () => {
    const token = `wrong-${uniqueName('token')}`;
    const path = join(testEnv().workDir, `${uniqueName('kubeconfig')}.yaml`);
    writeFileSync(
      path,
      renderKubeconfig({ server: double.url, token, contextName: 'wrong-token' }),
      { mode: 0o600 },
    );
    const error = await failure(
      new KubernetesCluster({ kubeconfigPath: path }).listPods({ namespace: 'default' }, 'hello'),
    );
    expect(error.code).toBe('CLUSTER_UNAVAILABLE');
    expect(error.message).toBe(
      `the Kubernetes API at ${double.url} (context wrong-token) refused Harbormaster's credentials (401 Unauthorized) while listing pods of release hello in namespace default; check the user of context wrong-token in the kubeconfig: its token or client certificate is wrong or has expired`,
    );
    expect(error.message).not.toContain(token);
  });

  it('gives up on an API server that accepts connections but never answers', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const path = join(testEnv().workDir, `${uniqueName('kubeconfig')}.yaml`);
    writeFileSync(
      path,
      renderKubeconfig({
        server: `http://127.0.0.1:${port}`,
        token: 't0ken',
        contextName: 'silent',
      }),
      { mode: 0o600 },
    );
    try {
      const error = await failure(
        new KubernetesCluster({ kubeconfigPath: path, requestTimeoutMs: 500 }).listPods(
          { namespace: 'default' },
          'hello',
        ),
      );
      expect(error.message).toBe(
        `cannot reach the Kubernetes API at http://127.0.0.1:${port} (context silent): no answer within 0.5s`,
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('says a kubeconfig that cannot be read cannot be read', async () => {
    const path = join(testEnv().workDir, `${uniqueName('missing')}.yaml`);
    const error = await failure(
      new KubernetesCluster({ kubeconfigPath: path }).listPods({ namespace: 'default' }, 'hello'),
    );
    expect(error.code).toBe('CLUSTER_UNAVAILABLE');
    expect(error.message).toMatch(
      new RegExp(`^cannot read the kubeconfig at ${path.replace(/[.]/g, '\\.')}: ENOENT`),
    );
  });
});
