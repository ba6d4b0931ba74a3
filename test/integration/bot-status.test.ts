import { join } from 'node:path';
import { execa } from 'execa';
import { KubernetesCluster } from '../../core/adapters/kubernetes-cluster.js';
import { CHANNEL, PEOPLE, startBotHarness, type BotHarness } from '../support/bot-harness.js';
import { eventually } from '../support/eventually.js';
import { pushFixtureImage } from '../support/fixture-images.js';
import { repoRoot } from '../support/paths.js';
import { testEnv, uniqueName } from '../support/test-env.js';

describe('/status through the real Bolt app', () => {
  let harness: BotHarness;
  /** The tiny fixture service, tagged abc1234 in the test registry: pods that really run. */
  let repository: string;

  beforeAll(async () => {
    repository = await pushFixtureImage({
      fixture: 'tiny',
      repository: `${uniqueName('status')}/hello-world`,
      tags: ['abc1234'],
    });
    harness = await startBotHarness({
      redisUrl: testEnv().redisUrl,
      catalog: join(repoRoot, 'test', 'fixtures', 'catalogs', 'status.yaml'),
      // The chart's readiness probe every second rather than every five.
      kube: { probeTimeScale: 0.2 },
    });
  });
  afterAll(async () => {
    await harness.stop();
  });
  afterEach(() => {
    harness.slack.assertNoUnhandled();
    expect(harness.kube.unhandled).toEqual([]);
  });

  const helmInstall = (image: string, ...set: string[]) =>
    execa(testEnv().helmBin, [
      'upgrade',
      '--install',
      'hello-world',
      join(repoRoot, 'chart', 'hello-world'),
      '--namespace',
      'staging',
      '--create-namespace',
      '--kubeconfig',
      harness.kube.kubeconfigPath,
      '--kube-context',
      harness.kube.contextName,
      '--set',
      `image.repository=${image}`,
      '--set-string',
      'image.tag=abc1234',
      ...set.flatMap((value) => ['--set', value]),
    ]);

  const status = async (text: string, user: { id: string } = PEOPLE.alice) => {
    const before = harness.slack.channel(CHANNEL.id).ephemeralFor(user.id).length;
    const response = await harness.inbound.slashCommand({
      command: '/status',
      text,
      user: user.id,
      channel: CHANNEL.id,
    });
    expect(response).toMatchObject({ status: 200, timedOut: false });
    await harness.slack.waitFor(
      () => harness.slack.channel(CHANNEL.id).ephemeralFor(user.id).length > before,
    );
    return harness.slack.channel(CHANNEL.id).ephemeralFor(user.id).at(-1)?.rendered ?? '';
  };

  it('lists the pods of a deployed service, with its address', async () => {
    await helmInstall(repository, 'replicaCount=2');
    await eventually(
      'both pods are ready',
      async () => {
        const pods = await new KubernetesCluster({
          kubeconfigPath: harness.kube.kubeconfigPath,
        }).listPods({ namespace: 'staging' }, 'hello-world');
        return (
          pods.length === 2 && pods.every((pod) => pod.readyContainers === pod.totalContainers)
        );
      },
      60_000,
    );
    const rendered = await status('hello-world staging');
    const lines = rendered.split('\n');
    expect(lines[0]).toMatch(
      /^hello-world · staging · 2\/2 pods ready · http:\/\/127\.0\.0\.1:3\d{4}$/,
    );
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(
        /^• hello-world-[a-z0-9]+-[a-z0-9]{5} 1\/1 · Running · 0 restarts · \d+s · double-node-\d$/,
      ),
      expect.stringMatching(
        /^• hello-world-[a-z0-9]+-[a-z0-9]{5} 1\/1 · Running · 0 restarts · \d+s · double-node-\d$/,
      ),
    ]);
  });

  it('says clearly when Kubernetes cannot be read, per environment', async () => {
    const rendered = await status('hello-world elsewhere');
    expect(rendered).toContain(
      "Kubernetes could not be read for elsewhere (CLUSTER_UNAVAILABLE); whoever runs Harbormaster finds why in the bot's log.",
    );
    // The details are for the log: no context name, kubeconfig path or API server address.
    expect(rendered).not.toMatch(/no-such-context|kubeconfig|127\.0\.0\.1|https?:/);
    expect(harness.logs.join('')).toContain('no-such-context');
  });

  it('refuses a word that is neither a service nor an environment', async () => {
    const rendered = await status('helo-world');
    expect(rendered).toBe(
      'There is no service or environment called helo-world. Did you mean hello-world? Type /status, /status <service> or /status <service> <environment>.',
    );
  });

  it('refuses /status privately for an environment the asker may not view', async () => {
    const publicBefore = harness.slack.channel(CHANNEL.id).messages.length;
    // Viewers default to the deployers: the S0DEPLOYERS group, which has Bob but not Alice.
    expect(await status('hello-world restricted', PEOPLE.alice)).toBe(
      ':no_entry: You may not view the pods of restricted. Ask whoever runs Harbormaster to add you to environments.restricted.viewers.',
    );
    expect(await status('hello-world restricted', PEOPLE.bob)).toMatch(
      /^hello-world · restricted · /,
    );
    // With no environment named, Alice sees those she may view, and nothing of restricted.
    expect(await status('hello-world', PEOPLE.alice)).not.toContain('restricted');
    expect(harness.slack.channel(CHANNEL.id).messages).toHaveLength(publicBefore);
  });

  it('keeps 500 pods within Slack limits by summarising', async () => {
    // 500 pods that no node's labels match: they stay Pending, and /status has 500 pods to
    // summarise without 500 containers to run.
    await execa(testEnv().helmBin, [
      'uninstall',
      'hello-world',
      '--namespace',
      'staging',
      '--kubeconfig',
      harness.kube.kubeconfigPath,
      '--kube-context',
      harness.kube.contextName,
      '--wait',
    ]);
    await helmInstall(repository, 'replicaCount=500', 'nodeSelector.pool=none');
    await eventually(
      '500 pods exist',
      async () =>
        (
          await new KubernetesCluster({ kubeconfigPath: harness.kube.kubeconfigPath }).listPods(
            { namespace: 'staging' },
            'hello-world',
          )
        ).length >= 500,
      60_000,
    );
    const rendered = await status('hello-world staging');
    expect(rendered.split('\n')[0]).toMatch(/^hello-world · staging · \d+\/500 pods ready/);
    expect(rendered).toMatch(/…and 480 more pods/);
  });
});
