import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HelmCli } from '../../core/adapters/helm-cli.js';
import { CHANNEL, PEOPLE } from '../support/bot-harness.js';
import { startSlackProcesses, type SlackProcessHarness } from '../support/process-harness.js';
import { eventually } from '../support/eventually.js';
import { testEnv } from '../support/test-env.js';
import { deployAndWait, expectNoUnhandled, finalMessage, sendDeploy } from './deploy-helpers.js';

interface PodJson {
  metadata: { name: string; deletionTimestamp?: string };
  spec: { containers: { image: string }[] };
  status: { phase?: string; containerStatuses?: { ready: boolean }[] };
}

describe('the brakes, through the real bot and worker processes, Redis, Docker, registry and helm', () => {
  let harness: SlackProcessHarness;
  let helm: HelmCli;
  const release = { release: 'tiny', namespace: '' };

  /** The images the release's live pods run (Running, every container ready, not going away). */
  async function podImages(): Promise<string[]> {
    const response = await fetch(
      `${harness.kube.url}/api/v1/namespaces/${harness.namespace}/pods`,
      {
        headers: { authorization: `Bearer ${harness.kube.token}` },
      },
    );
    const { items } = (await response.json()) as { items: PodJson[] };
    return items
      .filter((pod) => pod.metadata.name.startsWith('tiny-'))
      .filter((pod) => pod.metadata.deletionTimestamp === undefined)
      .filter(
        (pod) =>
          pod.status.phase === 'Running' &&
          (pod.status.containerStatuses ?? []).every((status) => status.ready),
      )
      .map((pod) => pod.spec.containers[0]?.image ?? '');
  }

  const command = (text: string, user: { id: string } = PEOPLE.alice) =>
    harness.inbound.slashCommand({ command: '/deploy', text, user: user.id, channel: CHANNEL.id });

  /** The last thing `user` was told privately in the channel. */
  const lastEphemeral = (user: { id: string }) =>
    harness.slack.channel(CHANNEL.id).ephemeralFor(user.id).at(-1)?.rendered ?? '';

  const imageLine = (rendered: string) =>
    rendered.split('\n').find((line) => line.startsWith('Image: '));

  beforeAll(async () => {
    harness = await startSlackProcesses(['tiny']);
    helm = new HelmCli({ bin: testEnv().helmBin, kubeconfig: harness.kube.kubeconfigPath });
    release.namespace = harness.namespace;
  });
  afterAll(async () => {
    await harness.stopAll();
  });
  afterEach(() => {
    expectNoUnhandled(harness);
  });

  it('a lock refuses another person’s deploy with its reason, lets the locker through, and stops refusing after unlock', async () => {
    await command('lock tiny migrating the database', PEOPLE.bob);
    await harness.slack.waitFor(() =>
      harness.slack
        .channel(CHANNEL.id)
        .messages.some((m) => m.rendered.includes('@bob locked tiny → staging')),
    );
    const refused = await command('tiny', PEOPLE.alice);
    expect(refused).toMatchObject({ status: 200, timedOut: false });
    expect(lastEphemeral(PEOPLE.alice)).toMatch(
      /tiny → staging is locked by @bob since .*“migrating the database”/,
    );
    expect((await harness.jobs()).length).toBe(0);

    const bobs = await deployAndWait(harness, 'tiny', PEOPLE.bob);
    expect(`${bobs.state}: ${bobs.message.rendered}`).toMatch(/^completed: /);

    await command('locks', PEOPLE.alice);
    expect(lastEphemeral(PEOPLE.alice)).toContain('migrating the database');
    await command('unlock tiny', PEOPLE.alice);
    expect(lastEphemeral(PEOPLE.alice)).toMatch(/locked by @bob/);
    await command('unlock tiny', PEOPLE.bob);
    await eventually('the lock is gone', async () => {
      await command('locks', PEOPLE.alice);
      return !lastEphemeral(PEOPLE.alice).includes('migrating the database');
    });

    // alice's deploy, of a changed service, now runs: revision 2 with a new image.
    writeFileSync(
      join(harness.sources.tiny ?? '', 'greeting.js'),
      "module.exports = () => 'Hello, World!'; // v2\n",
    );
    const alices = await deployAndWait(harness, 'tiny', PEOPLE.alice);
    expect(`${alices.state}: ${alices.message.rendered}`).toMatch(/^completed: /);
    expect((await helm.history(release)).map((r) => [r.revision, r.status])).toEqual([
      [1, 'superseded'],
      [2, 'deployed'],
    ]);
  });

  it('rollback restores the previous revision’s image and pods run it; a double-pressed button acts once', async () => {
    const [first] = (await helm.history(release)).map((r) => r.revision);
    expect(first).toBe(1);
    const firstImage = await helm.values(release, 1);
    const image = firstImage.image as { repository: string; tag: string };
    const wanted = `${image.repository}:${image.tag}`;
    expect(await podImages()).not.toContain(wanted);

    const jobId = await sendDeploy(harness, 'rollback tiny', PEOPLE.alice);
    const { message, state } = await finalMessage(harness, jobId);
    expect(state).toBe('completed');
    const lines = message.rendered.split('\n');
    expect(lines[0]).toBe(':white_check_mark: Rolled back tiny → staging to revision 1');
    expect(lines).toContainEqual(
      expect.stringMatching(/^:white_check_mark: Helm rollback · \d+\.\ds$/),
    );
    expect(imageLine(message.rendered)).toBe(`Image: ${wanted}`);
    expect((await helm.history(release)).at(-1)).toMatchObject({ revision: 3, status: 'deployed' });
    await eventually(
      'the pods run the image of revision 1',
      async () => {
        const images = await podImages();
        return images.length === 2 && images.every((running) => running === wanted);
      },
      120_000,
    );

    // The Rollback button on alice's deploy message, pressed by bob and by alice: one rollback.
    const deployMessage = harness.slack
      .channel(CHANNEL.id)
      .messages.find(
        (m) =>
          m.rendered.startsWith(':white_check_mark: Deployed tiny@main') &&
          m.rendered.includes('[Rollback]'),
      );
    expect(deployMessage).toBeDefined();
    const jobsBefore = (await harness.jobs()).length;
    const press = (user: { id: string }) =>
      harness.inbound.clickButton({
        channel: CHANNEL.id,
        messageTs: deployMessage?.ts ?? '',
        user: user.id,
        label: 'Rollback',
      });
    const [one, two] = await Promise.all([press(PEOPLE.bob), press(PEOPLE.alice)]);
    expect([one.status, two.status]).toEqual([200, 200]);
    await eventually('one of them is told it was already done', () =>
      Promise.resolve(
        [PEOPLE.bob, PEOPLE.alice].some((person) =>
          lastEphemeral(person).startsWith('Already done: '),
        ),
      ),
    );
    await eventually(
      'the rollback is queued',
      async () => (await harness.jobs()).length === jobsBefore + 1,
    );
    const rollbacks = (await harness.jobs()).filter((job) => job.data.kind === 'rollback');
    expect(rollbacks).toHaveLength(2);
    const pressed = rollbacks.find((job) => job.id !== jobId);
    expect((await finalMessage(harness, pressed?.id ?? '')).state).toBe('completed');
    expect((await harness.jobs()).length).toBe(jobsBefore + 1);
  });

  it('history lists every deploy and rollback with who, result, stage and image', async () => {
    await command('history tiny', PEOPLE.alice);
    const history = lastEphemeral(PEOPLE.alice);
    expect(history).toMatch(/@bob/);
    expect(history).toMatch(/@alice/);
    expect((history.match(/succeeded/g) ?? []).length).toBeGreaterThanOrEqual(4);
    expect(history).toMatch(/rollback/i);
  });

  it('unlock --force takes over someone else’s lock: it is audited, and the locker is told', async () => {
    await command('lock tiny load test running', PEOPLE.bob);
    await harness.slack.waitFor(() =>
      harness.slack
        .channel(CHANNEL.id)
        .messages.some((m) => m.rendered.includes('@bob locked tiny → staging')),
    );
    await command('unlock tiny --force', PEOPLE.releaser);
    await harness.slack.waitFor(
      () =>
        harness.slack
          .dm(PEOPLE.bob.id)
          .messages.some((m) => m.rendered.includes('@rita removed your lock on tiny → staging')),
      { timeoutMs: 30_000, description: 'bob to be told his lock was removed' },
    );
    await command('locks', PEOPLE.alice);
    expect(lastEphemeral(PEOPLE.alice)).toBe('Nothing is locked.');
    await command('audit tiny', PEOPLE.alice);
    expect(lastEphemeral(PEOPLE.alice)).toMatch(
      /@rita.*unlock.*forced: removed the lock of @bob \(load test running\)/,
    );
  });
});
