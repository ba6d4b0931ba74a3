import { copyFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HelmCli } from '../../core/adapters/helm-cli.js';
import { KubernetesCluster } from '../../core/adapters/kubernetes-cluster.js';
import { contextDigest } from '../../core/adapters/docker-build-context.js';
import { RegistryApi } from '../../core/adapters/registry-api.js';
import { CHANNEL, PEOPLE } from '../support/bot-harness.js';
import { ALERTS_CHANNEL, TINY_FIXTURE } from '../support/e2e-catalog.js';
import { startGoAheadServer } from '../support/go-ahead-server.js';
import { repoRoot } from '../support/paths.js';
import {
  OUTSIDER,
  startSlackProcesses,
  type SlackProcessHarness,
} from '../support/process-harness.js';
import { testEnv } from '../support/test-env.js';
import { deployAndWait, expectNoUnhandled, finalMessage, sendDeploy } from './deploy-helpers.js';

const STAGE_LINES = [
  'Source',
  'Test gate',
  'Build image',
  'Push image',
  'Helm upgrade',
  'Rollout',
  'Address',
];

// The bot and the worker run as their own processes (bot/main.ts, worker/main.ts), configured by
// environment alone; the catalog lets the deployers' user group deploy.
describe('deploys from Slack to the cluster, for real but for Slack and Kubernetes', () => {
  let harness: SlackProcessHarness;
  let helm: HelmCli;
  let cluster: KubernetesCluster;
  const release = (name: string) => ({ release: name, namespace: harness.namespace });

  /** The image the release's Deployment runs, read over the Kubernetes API. */
  async function deployedImage(name: string): Promise<string> {
    const response = await fetch(
      `${harness.kube.url}/apis/apps/v1/namespaces/${harness.namespace}/deployments/${name}-hello-world`,
      { headers: { authorization: `Bearer ${harness.kube.token}` } },
    );
    const deployment = (await response.json()) as {
      spec: { template: { spec: { containers: { image: string }[] } } };
    };
    return deployment.spec.template.spec.containers[0]?.image ?? '';
  }

  /** The `pinned` service: the tiny fixture deployed with a chart whose values may pin a tag. */
  const pinnedDir = mkdtempSync(join(tmpdir(), 'hm-e2e-pinned-'));
  const pinnedValues = join(pinnedDir, 'values-staging.yaml');

  /** GETs a reported address through the double's node port, and reads the answer. */
  async function answerAt(address: string): Promise<unknown> {
    const response = await fetch(address);
    expect(response.status).toBe(200);
    return response.json();
  }

  beforeAll(async () => {
    cpSync(TINY_FIXTURE, join(pinnedDir, 'source'), { recursive: true });
    writeFileSync(pinnedValues, '{}\n');
    harness = await startSlackProcesses(['tiny', 'other', 'broken', 'crashy', 'leaky'], {
      // tiny's gated test asks the test for its go-ahead over 127.0.0.1.
      testGateOnHostNetwork: true,
      catalogServices: {
        pinned: {
          source: { path: join(pinnedDir, 'source') },
          test: { command: ['node', 'test.js'], timeoutSeconds: 60 },
          buildArgs: { BASE_IMAGE: testEnv().nodeBaseImage },
          chart: join(repoRoot, 'test', 'fixtures', 'charts', 'pinned-tag'),
          values: { staging: [pinnedValues] },
        },
      },
    });
    helm = new HelmCli({ bin: testEnv().helmBin, kubeconfig: harness.kube.kubeconfigPath });
    cluster = new KubernetesCluster({ kubeconfigPath: harness.kube.kubeconfigPath });
  });
  afterAll(async () => {
    await harness.stopAll();
    rmSync(pinnedDir, { recursive: true, force: true });
  });
  afterEach(() => {
    expectNoUnhandled(harness);
  });

  it('someone outside the deployers group is refused, privately, and nothing is queued', async () => {
    const response = await harness.inbound.slashCommand({
      command: '/deploy',
      text: 'tiny',
      user: OUTSIDER.id,
      channel: CHANNEL.id,
    });
    expect(response).toMatchObject({ status: 200, timedOut: false });
    const ephemeral = () => harness.slack.channel(CHANNEL.id).ephemeralFor(OUTSIDER.id);
    await harness.slack.waitFor(() => ephemeral().length > 0);
    expect(ephemeral().at(-1)?.rendered).toBe(
      'You are not allowed to deploy to staging. Ask @deployers to deploy it, or ask whoever runs Harbormaster to add you to environments.staging.deployers.\nNothing was queued.',
    );
    expect(await harness.job(`deploy-${response.triggerId}`)).toBeUndefined();
    expect(harness.slack.channel(CHANNEL.id).messages).toEqual([]);
  });

  it('/deploy tiny: every stage done, the address, the image in the registry, the release, Ready pods', async () => {
    const { message, state, job } = await deployAndWait(harness, 'tiny');
    expect(state).toBe('completed');
    const lines = message.rendered.split('\n');
    expect(lines[0]).toBe(':white_check_mark: Deployed tiny@main → staging');
    expect(lines[1]).toMatch(/^Requested by @alice · ref main · commit src-[0-9a-f]{12}$/);
    for (const title of STAGE_LINES)
      expect(lines).toContainEqual(
        expect.stringMatching(new RegExp(`^:white_check_mark: ${title} · \\d+\\.\\ds$`)),
      );
    const address = lines.find((line) => line.startsWith('Address: '))?.slice('Address: '.length);
    expect(address).toMatch(/^http:\/\/127\.0\.0\.1:3\d{4}$/);
    // The node port forwards to one of the two Ready pods, which really run the image just built
    // (the tiny service answers with its REVISION build argument: the commit).
    const commit = /commit (src-[0-9a-f]{12})/.exec(lines[1] ?? '')?.[1];
    expect(await answerAt(address ?? '')).toEqual({ message: 'Hello, World!', revision: commit });
    const digest = lines.find((line) => line.startsWith('Image: '))?.slice('Image: '.length) ?? '';
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);

    const manifest = await fetch(
      `http://${testEnv().registry.address}/v2/${harness.namespace}/tiny/manifests/${digest}`,
      {
        headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' },
      },
    );
    expect(manifest.status).toBe(200);
    expect(
      (await helm.history(release('tiny'))).map((revision) => [revision.revision, revision.status]),
    ).toEqual([[1, 'deployed']]);
    const pods = await cluster.listPods({ namespace: harness.namespace }, 'tiny');
    expect(pods).toHaveLength(2);
    expect(
      pods.every((pod) => pod.phase === 'Running' && pod.readyContainers === pod.totalContainers),
    ).toBe(true);
    expect(job.data.origin.user.name).toBe('alice');
  });

  it('someone outside the deployers group pressing Rollback is refused, privately, and nothing is queued', async () => {
    const channel = harness.slack.channel(CHANNEL.id);
    const deployed = channel.messages.find((m) =>
      m.rendered.startsWith(':white_check_mark: Deployed tiny@main → staging'),
    );
    expect(deployed?.rendered).toContain('[Rollback]');
    const messagesBefore = channel.messages.length;
    const ephemeral = () => channel.ephemeralFor(OUTSIDER.id);
    const told = ephemeral().length;
    const pressed = await harness.inbound.clickButton({
      channel: CHANNEL.id,
      messageTs: deployed?.ts ?? '',
      user: OUTSIDER.id,
      label: 'Rollback',
    });
    expect(pressed.status).toBe(200);
    await harness.slack.waitFor(() => ephemeral().length > told, {
      timeoutMs: 30_000,
      description: 'the refusal of the press',
    });
    expect(ephemeral().at(-1)?.rendered).toMatch(/^You are not allowed to deploy to staging\./);
    expect(await harness.job(`deploy-${pressed.triggerId}`)).toBeUndefined();
    expect(channel.messages).toHaveLength(messagesBefore);
  });

  it('a second deploy of a changed service upgrades the release with a new tag', async () => {
    const before = await deployedImage('tiny');
    writeFileSync(
      join(harness.sources.tiny ?? '', 'greeting.js'),
      "module.exports = () => 'Hello, World!'; // v2\n",
    );
    const { state } = await deployAndWait(harness, 'tiny', PEOPLE.bob);
    expect(state).toBe('completed');
    const history = await helm.history(release('tiny'));
    expect(history.map((revision) => [revision.revision, revision.status])).toEqual([
      [1, 'superseded'],
      [2, 'deployed'],
    ]);
    const newImage = await deployedImage('tiny');
    expect(newImage).not.toBe(before);
    expect(newImage).toBe(
      `${testEnv().registry.address}/${harness.namespace}/tiny:src-${contextDigest(harness.sources.tiny ?? '', 'Dockerfile').slice(0, 12)}`,
    );
  });

  it('a broken test stops at the test gate: no helm, no image in the registry, the output in the thread, the team told', async () => {
    writeFileSync(
      join(harness.sources.broken ?? '', 'greeting.js'),
      "module.exports = () => 'Goodbye, World!';\n",
    );
    const { message, state } = await deployAndWait(harness, 'broken');
    expect(state).toBe('failed');
    const lines = message.rendered.split('\n');
    expect(lines[0]).toBe(':x: Deploy of broken@main → staging failed');
    expect(message.rendered).toMatch(
      /Failed at Test gate after \d+\.\ds: the tests \(services\.broken\.test\.command\) exited with code 1$/m,
    );
    expect(message.replies.map((reply) => reply.rendered).join('\n')).toMatch(/Goodbye, World!/);
    // Built and pushed alongside the gate, or stopped before: either way not in the registry.
    const tag = /commit (src-[0-9a-f]{12})/.exec(message.rendered)?.[1] ?? 'no-commit-shown';
    const image = `${testEnv().registry.address}/${harness.namespace}/broken:${tag}`;
    expect(await new RegistryApi().manifestDigest(image)).toBeUndefined();
    expect(await helm.history(release('broken'))).toEqual([]);
    const alert = harness.slack.channel(ALERTS_CHANNEL.id).render();
    expect(alert).toMatch(/@deployers/);
    expect(alert).toMatch(/broken@main → staging failed at Test gate/);
  });

  it('a service that exits at start crash-loops: the release is rolled back, and the message says so', async () => {
    const first = await deployAndWait(harness, 'crashy');
    expect(first.state).toBe('completed');
    const address = /^Address: (\S+)$/m.exec(first.message.rendered)?.[1] ?? '';
    const commit = /commit (src-[0-9a-f]{12})/.exec(first.message.rendered)?.[1];
    // The new version's process exits 1 as soon as it starts (test/fixtures/services/exits-at-start).
    copyFileSync(
      join(repoRoot, 'test', 'fixtures', 'services', 'exits-at-start', 'server.js'),
      join(harness.sources.crashy ?? '', 'server.js'),
    );
    const { message, state } = await deployAndWait(harness, 'crashy', PEOPLE.bob);
    expect(state).toBe('failed');
    expect(message.rendered).toMatch(
      /Failed at Rollout .*pod crashy-hello-world-\S+ \(CrashLoopBackOff, exit code 1/,
    );
    expect(message.rendered).toContain('Rolled back to revision 1.');
    const history = await helm.history(release('crashy'));
    expect(history.map((revision) => revision.revision)).toEqual([1, 2, 3]);
    expect(history.at(-1)).toMatchObject({ status: 'deployed', description: 'Rollback to 1' });
    // The first version still answers at the same address.
    expect(await answerAt(address)).toEqual({ message: 'Hello, World!', revision: commit });
  });

  it('a tag that was never pushed cannot be pulled: ImagePullBackOff named, the release rolled back', async () => {
    expect((await deployAndWait(harness, 'pinned')).state).toBe('completed');
    // A values file pins a tag that no registry has, overriding the one just built and pushed.
    writeFileSync(pinnedValues, 'pinnedTag: never-pushed\n');
    writeFileSync(
      join(pinnedDir, 'source', 'greeting.js'),
      "module.exports = () => 'Hello, World!'; // v2\n",
    );
    const { message, state } = await deployAndWait(harness, 'pinned', PEOPLE.bob);
    expect(state).toBe('failed');
    expect(message.rendered).toMatch(
      /Failed at Rollout .*pod pinned-\S+ \((ErrImagePull|ImagePullBackOff): .*pinned:never-pushed.*not found/,
    );
    expect(message.rendered).toContain('Rolled back to revision 1.');
    expect(
      (await helm.history(release('pinned'))).map((revision) => [
        revision.revision,
        revision.status,
      ]),
    ).toEqual([
      [1, 'superseded'],
      [2, 'superseded'],
      [3, 'deployed'],
    ]);
  });

  it('two deploys of one release run one after the other; two services run at the same time', async () => {
    // tiny's test gate is held until `other` has deployed: tiny's deploy, which holds the
    // release, is then surely running the whole time `other` runs. The sandboxed test asks this
    // test for its go-ahead over HTTP (it sees no file of the host's).
    const goAhead = await startGoAheadServer();
    const tinyTest = join(harness.sources.tiny ?? '', 'test.js');
    writeFileSync(
      tinyTest,
      `const ask = () => require('node:http').get(${JSON.stringify(goAhead.url)}, (response) => {\n` +
        '  response.resume();\n' +
        '  if (response.statusCode !== 200) setTimeout(ask, 100);\n' +
        '}).on("error", () => setTimeout(ask, 100));\n' +
        'ask();\n',
    );
    // A directory has no refs: alice's and bob's deploys are two deploys of one release.
    const first = await sendDeploy(harness, 'tiny', PEOPLE.alice);
    await harness.slack.waitFor(
      () =>
        harness.slack
          .channel(CHANNEL.id)
          .messages.some(
            (m) =>
              m.rendered.includes('Requested by @alice') &&
              m.rendered.includes('tiny') &&
              m.rendered.includes('Test gate · running'),
          ),
      { timeoutMs: 60_000, description: 'the first deploy of tiny to hold its release' },
    );
    const second = await sendDeploy(harness, 'tiny', PEOPLE.bob);
    const other = await sendDeploy(harness, 'other', PEOPLE.releaser);
    const c = await finalMessage(harness, other);
    expect(c.state).toBe('completed');
    // `other` deployed from start to end while tiny's first deploy held its release.
    expect(await (await harness.job(first))?.getState()).toBe('active');
    goAhead.open();
    const [a, b] = await Promise.all([first, second].map((jobId) => finalMessage(harness, jobId)));
    copyFileSync(join(TINY_FIXTURE, 'test.js'), tinyTest);
    await goAhead.close();
    if (!a || !b) throw new Error('two deploys of tiny were sent');
    expect([a.state, b.state]).toEqual(['completed', 'completed']);
    const waited = (end: typeof c) =>
      [end.message.rendered, ...end.message.history.map((version) => version.rendered)].some(
        (text) => text.includes('Waiting behind'),
      );
    expect(waited(b)).toBe(true);
    expect(waited(c)).toBe(false);
    // One after the other: the second deploy's helm revision comes after the first's.
    expect(
      (await helm.history(release('tiny'))).map((revision) => revision.description).slice(-2),
    ).toEqual(['Upgrade complete', 'Upgrade complete']);
    expect((b.job.finishedOn ?? 0) > (a.job.finishedOn ?? 0)).toBe(true);
  });

  it('a failing program that prints the registry password: the password appears nowhere', async () => {
    const password = testEnv().authRegistry.password;
    writeFileSync(
      join(harness.sources.leaky ?? '', 'test.js'),
      `console.log('using password ${password}'); process.exit(1);\n`,
    );
    const { state } = await deployAndWait(harness, 'leaky');
    expect(state).toBe('failed');
    const everything = [
      harness.slack.channel('C0DEPLOYS').render(),
      harness.slack.channel(ALERTS_CHANNEL.id).render(),
      JSON.stringify(harness.slack.calls),
      harness.logs(),
    ].join('\n');
    expect(everything).toContain('using password [redacted]');
    expect(everything).not.toContain(password);
  });
});
