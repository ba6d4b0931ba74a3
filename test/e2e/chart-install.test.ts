import type Docker from 'dockerode';
import { DockerodeImageBuilder } from '../../core/adapters/dockerode-image-builder.js';
import { CHANNEL, PEOPLE } from '../support/bot-harness.js';
import { dockerFromHost } from '../support/docker-engine.js';
import { HARBORMASTER_CHART, helmSandbox } from '../support/harbormaster-chart.js';
import { ensureHarbormasterImage } from '../support/harbormaster-image.js';
import { TEST_JOB_KEY } from '../support/job-key.js';
import { startKubeApiDouble, type KubeApiDouble } from '../support/kube-api/index.js';
import { NAMESPACES, PODS, SECRETS, SERVICES } from '../support/kube-api/controllers/kinds.js';
import { numberAt, objectsAt, stringAt } from '../support/kube-api/json.js';
import type { KubeObject } from '../support/kube-api/objects.js';
import { startSlackDouble, type SlackDouble } from '../support/slack/index.js';
import { testEnv, uniqueName } from '../support/test-env.js';

/**
 * chart/harbormaster installed with the real helm into the Kubernetes double, on Harbormaster's
 * image built from this checkout: the bot and the worker run as real containers in pods on the
 * double's pod network, reach Redis, the Slack double and the Docker Engine only through the
 * addresses the test exposes at 10.244.0.1, and answer their probes.
 */

const RELEASE = 'hm';
const NAMESPACE = 'harbormaster';
const GATEWAY = '10.244.0.1';
const PORTS = { redis: 6379, slack: 8000, docker: 2375 } as const;
/** The first build on a fresh machine installs the npm packages: minutes, on a busy 2-core one. */
const SET_UP_LIMIT_MS = 15 * 60_000;
const WRITE = { fieldManager: 'test', dryRun: false } as const;

const helm = helmSandbox();
let double: KubeApiDouble;
let slack: SlackDouble;
let imageRepository: string;
let queue: string;
let installOutput = '';

/** The test run's Redis URL, its host and port replaced by the gateway's. */
function redisUrlInCluster(): string {
  const url = new URL(testEnv().redisUrl);
  url.hostname = GATEWAY;
  url.port = String(PORTS.redis);
  return url.toString();
}

async function pushHarbormasterImage(docker: Docker): Promise<string> {
  const local = await ensureHarbormasterImage(docker);
  const repository = `${testEnv().registry.address}/${uniqueName('hm-chart')}/harbormaster`;
  await docker.getImage(local).tag({ repo: repository, tag: 'e2e' });
  await new DockerodeImageBuilder(docker).push({ reference: `${repository}:e2e` });
  return repository;
}

function createObject(resource: typeof NAMESPACES, namespace: string, object: KubeObject): void {
  double.api.create(resource, namespace, object, WRITE);
}

beforeAll(async () => {
  const docker = dockerFromHost(testEnv().dockerHost);
  imageRepository = await pushHarbormasterImage(docker);
  slack = await startSlackDouble({ botToken: 'xoxb-chart-install' });
  for (const person of Object.values(PEOPLE)) slack.addUser(person);
  slack.addChannel(CHANNEL);
  double = await startKubeApiDouble({ podNetwork: true, backOffMs: 1000, log: () => undefined });
  const network = double.network;
  if (network === undefined) throw new Error('the double was started without its pod network');
  const redisPort = Number(new URL(testEnv().redisUrl).port || '6379');
  await network.expose(PORTS.redis, { port: redisPort });
  await network.expose(PORTS.slack, { port: Number(new URL(slack.baseUrl).port) });
  const dockerSocket = testEnv().dockerHost.replace(/^unix:\/\//, '');
  await network.expose(PORTS.docker, { socketPath: dockerSocket });

  for (const name of [NAMESPACE, 'staging'])
    createObject(NAMESPACES, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  const secret: Record<string, string> = {
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: slack.signingSecret,
    HARBORMASTER_JOB_KEY: TEST_JOB_KEY,
    REDIS_URL: redisUrlInCluster(),
  };
  createObject(SECRETS, NAMESPACE, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `${RELEASE}-harbormaster` },
    type: 'Opaque',
    data: Object.fromEntries(
      Object.entries(secret).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
    ),
  });

  queue = uniqueName('chart-install');
  const result = await helm.run([
    'install',
    RELEASE,
    HARBORMASTER_CHART,
    '--namespace',
    NAMESPACE,
    '--kubeconfig',
    double.kubeconfigPath,
    '--kube-context',
    double.contextName,
    '--set',
    `image.repository=${imageRepository}`,
    '--set',
    'image.tag=e2e',
    '--set',
    'slack.mode=http',
    '--set',
    `slack.apiUrl=http://${GATEWAY}:${PORTS.slack}/api/`,
    '--set',
    'worker.build.backend=external',
    '--set',
    `worker.build.external.host=tcp://${GATEWAY}:${PORTS.docker}`,
    '--set',
    'bot.service.type=NodePort',
    '--set',
    `queue.name=${queue}`,
    '--wait',
    '--timeout',
    '10m',
  ]);
  installOutput = result.all;
  if (result.exitCode !== 0) throw new Error(`helm install failed:\n${result.all}\n${podReport()}`);
}, SET_UP_LIMIT_MS);

afterAll(async () => {
  await double.stop();
  await slack.stop();
  helm.remove();
});

function podsOf(component: string): KubeObject[] {
  return double.api.store
    .list(PODS, NAMESPACE)
    .filter((pod) => pod.metadata.labels?.['app.kubernetes.io/component'] === component);
}

/** Each pod's phase and container states, for a failure's message. */
function podReport(): string {
  return double.api.store
    .list(PODS, NAMESPACE)
    .map((pod) => `${pod.metadata.name ?? ''}: ${JSON.stringify(pod.status)}`)
    .join('\n');
}

function ready(pod: KubeObject): boolean {
  return objectsAt(pod, 'status', 'conditions').some(
    (condition) => condition.type === 'Ready' && condition.status === 'True',
  );
}

function botNodePort(): number {
  const service = double.api.tryGet(SERVICES, NAMESPACE, `${RELEASE}-harbormaster-bot`);
  const port = numberAt(objectsAt(service, 'spec', 'ports')[0], 'nodePort');
  if (port === undefined) throw new Error('the bot Service has no node port');
  return port;
}

describe('chart/harbormaster installed in the Kubernetes double', () => {
  it('runs the bot and the worker from the image, Ready by their probes, never restarted', () => {
    expect(installOutput).toContain('STATUS: deployed');
    for (const component of ['bot', 'worker']) {
      const pods = podsOf(component);
      expect(pods).toHaveLength(1);
      for (const pod of pods) {
        expect({
          pod: pod.metadata.name,
          ready: ready(pod),
          report: ready(pod) ? '' : podReport(),
        }).toMatchObject({ ready: true });
        const status = objectsAt(pod, 'status', 'containerStatuses')[0];
        expect(stringAt(status, 'image')).toBe(`${imageRepository}:e2e`);
        expect(numberAt(status, 'restartCount')).toBe(0);
        expect(stringAt(pod, 'status', 'podIP')).toMatch(/^10\.244\.\d+\.\d+$/);
      }
    }
  });

  it("serves the bot's /readyz through its Service, with Redis reached over the pod network", async () => {
    const response = await fetch(`http://127.0.0.1:${botNodePort()}/readyz`);
    const body = await response.text();
    expect({ status: response.status, body }).toMatchObject({ status: 200 });
    expect(body).toMatch(/redis/i);
    expect(body).not.toMatch(/down/i);
  });

  it('answers a signed /deploy, and the worker in the cluster takes the job and ends its message', async () => {
    const inbound = slack.inbound({
      requestUrl: `http://127.0.0.1:${botNodePort()}/slack/events`,
    });
    const reply = await inbound.slashCommand({
      command: '/deploy',
      text: 'hello-world',
      user: PEOPLE.alice.id,
      channel: CHANNEL.id,
    });
    expect(reply.status).toBe(200);
    // The double gives pods no API credentials (no service-account token), so the worker's helm
    // finds no cluster: the deploy ends at once, told in the channel, by the worker in its pod.
    const channel = slack.channel(CHANNEL.id);
    await slack.waitFor(() => channel.render().includes('Failed at Helm upgrade'), {
      timeoutMs: 60_000,
    });
    const shown = channel.render();
    expect(shown).toContain('Deploy of hello-world@main → staging failed');
    expect(shown).toContain('kubernetes cluster unreachable');
    // As anywhere else: the cluster's address stays out of chat.
    expect(shown).not.toContain('localhost:8080');
  });
});
