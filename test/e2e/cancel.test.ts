import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HelmCli } from '../../core/adapters/helm-cli.js';
import { CHANNEL, PEOPLE } from '../support/bot-harness.js';
import { TINY_FIXTURE } from '../support/e2e-catalog.js';
import { startSlackProcesses, type SlackProcessHarness } from '../support/process-harness.js';
import { slowHookChart } from '../support/slow-hook-chart.js';
import { testEnv, uniqueName } from '../support/test-env.js';
import { SANDBOX_LABEL } from '../../core/adapters/container-program-runner.js';
import { dockerFromHost } from '../support/docker-engine.js';
import { eventually, eventuallyValue } from '../support/eventually.js';
import { deployAndWait, expectNoUnhandled, finalMessage, sendDeploy } from './deploy-helpers.js';

describe('cancel, through the real bot and worker processes, Redis, Docker, registry and helm', () => {
  let harness: SlackProcessHarness;
  let helm: HelmCli;
  const dir = mkdtempSync(join(tmpdir(), 'hm-e2e-cancel-'));
  const release = () => ({ release: 'tiny', namespace: harness.namespace });
  const source = () => harness.sources.tiny ?? '';

  beforeAll(async () => {
    cpSync(TINY_FIXTURE, join(dir, 'slow'), { recursive: true });
    harness = await startSlackProcesses(['tiny'], {
      catalogServices: {
        slow: {
          source: { path: join(dir, 'slow') },
          test: { command: ['node', 'test.js'], timeoutSeconds: 60 },
          buildArgs: { BASE_IMAGE: testEnv().nodeBaseImage },
          chart: slowHookChart(dir, 10),
        },
      },
    });
    helm = new HelmCli({ bin: testEnv().helmBin, kubeconfig: harness.kube.kubeconfigPath });
  });
  afterAll(async () => {
    await harness.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    expectNoUnhandled(harness);
  });

  /** The sandbox's containers running tiny's tests now, in the tests' Docker Engine. */
  const testContainers = async () => {
    const containers = await dockerFromHost(testEnv().dockerHost).listContainers({
      all: true,
      filters: { label: [`${SANDBOX_LABEL}=test`] },
    });
    return containers
      .filter((container) => container.Image.startsWith('harbormaster-test/tiny:'))
      .map((container) => container.Id);
  };

  /** The deploy's message in the channel, as it reads now. */
  const messageOf = async (jobId: string) => {
    const ts = (await harness.job(jobId))?.data.origin.message;
    return harness.slack.channel(CHANNEL.id).messages.find((m) => m.ts === ts)?.rendered ?? '';
  };

  async function waitForStage(title: string) {
    await harness.slack.waitFor(
      () =>
        harness.slack
          .channel(CHANNEL.id)
          .messages.some((m) =>
            m.rendered.includes(`:arrows_counterclockwise: ${title} · running`),
          ),
      { timeoutMs: 120_000, description: `${title} to start` },
    );
  }

  /** Presses the Cancel button on the deploy's message. */
  async function pressCancel(jobId: string, user: { id: string } = PEOPLE.alice) {
    const ts = (await harness.job(jobId))?.data.origin.message ?? '';
    const pressed = await harness.inbound.clickButton({
      channel: CHANNEL.id,
      messageTs: ts,
      user: user.id,
      label: 'Cancel',
    });
    expect(pressed.status).toBe(200);
  }

  async function expectCancelledAt(jobId: string, stage: string, service = 'tiny') {
    const { message } = await finalMessage(harness, jobId);
    expect(message.rendered.split('\n')[0]).toBe(
      `:no_entry_sign: Deploy of ${service}@main → staging cancelled`,
    );
    // The test gate runs alongside the build and the push: a cancel may stop two stages at once.
    expect(message.rendered).toMatch(
      new RegExp(
        `:no_entry_sign: Cancelled by @alice at ([A-Za-z ]+ and )?${stage}( and [A-Za-z ]+)?\\.`,
      ),
    );
    expect(message.rendered).not.toContain('[Cancel]');
    const status = await helm.status({ release: service, namespace: harness.namespace });
    expect(status?.status ?? 'none').not.toMatch(/^pending-/);
    return message.rendered;
  }

  it('a running deploy cancelled during the test gate stops, and the next deploy runs normally', async () => {
    const test = join(source(), 'test.js');
    const original = readFileSync(test, 'utf8');
    writeFileSync(test, 'setTimeout(() => {}, 120_000);\n');
    const jobId = await sendDeploy(harness, 'tiny');
    await waitForStage('Test gate');
    // The sandbox runs the tests (which never end) in a container of their own.
    const running = await eventuallyValue('the tests’ container', async () => {
      const ids = await testContainers();
      return ids.length > 0 ? ids : undefined;
    });
    const response = await harness.inbound.slashCommand({
      command: '/deploy',
      text: `cancel ${jobId}`,
      user: PEOPLE.alice.id,
      channel: CHANNEL.id,
    });
    expect(response.status).toBe(200);
    expect(
      harness.slack.channel(CHANNEL.id).ephemeralFor(PEOPLE.alice.id).at(-1)?.rendered,
    ).toMatch(/^:no_entry_sign: Cancelling tiny@main → staging/);
    await expectCancelledAt(jobId, 'Test gate');
    expect(await helm.status(release())).toBeUndefined();
    await eventually(
      'the tests’ container to be killed and removed',
      async () => (await testContainers()).every((id) => !running.includes(id)),
      30_000,
    );
    writeFileSync(test, original);
    const next = await deployAndWait(harness, 'tiny');
    expect(`${next.state}: ${next.message.rendered}`).toMatch(/^completed: /);
  });

  it('a queued deploy cancelled with its button is taken off the queue before it starts', async () => {
    const test = join(source(), 'test.js');
    const original = readFileSync(test, 'utf8');
    writeFileSync(test, 'setTimeout(() => {}, 120_000);\n');
    const first = await sendDeploy(harness, 'tiny', PEOPLE.bob);
    await waitForStage('Test gate');
    // The second deploy of the same release waits behind the first.
    const second = await sendDeploy(harness, 'tiny', PEOPLE.releaser);
    await eventually(
      'the second deploy waits behind the first',
      async () => (await messageOf(second)).includes('Waiting behind'),
      60_000,
    );
    const ts = (await harness.job(second))?.data.origin.message;
    await pressCancel(second);
    const channel = harness.slack.channel(CHANNEL.id);
    await harness.slack.waitFor(
      () =>
        channel.messages.some(
          (m) =>
            m.ts === ts &&
            m.rendered.includes(':no_entry_sign: Cancelled by @alice before it started.'),
        ),
      { timeoutMs: 30_000, description: 'the queued deploy’s message to end' },
    );
    expect(await harness.job(second)).toBeUndefined();
    await pressCancel(first);
    await expectCancelledAt(first, 'Test gate');
    writeFileSync(test, original);
  }, 300_000);

  it('a deploy cancelled during the build stops it, leaving the release as it was', async () => {
    const before = (await helm.history(release())).at(-1);
    const dockerfile = join(source(), 'Dockerfile');
    const original = readFileSync(dockerfile, 'utf8');
    writeFileSync(join(source(), 'nonce.txt'), uniqueName('nonce'));
    writeFileSync(
      dockerfile,
      original.replace(
        'COPY server.js greeting.js ./',
        'COPY server.js greeting.js nonce.txt ./\nRUN node -e "setTimeout(() => {}, 120000)"',
      ),
    );
    const jobId = await sendDeploy(harness, 'tiny', PEOPLE.bob);
    await waitForStage('Build image');
    await pressCancel(jobId);
    await expectCancelledAt(jobId, 'Build image');
    expect((await helm.history(release())).at(-1)).toEqual(before);
    writeFileSync(dockerfile, original);
  }, 300_000);

  it('a deploy cancelled during the helm upgrade lets it finish, rolls it back, and the next deploy runs normally', async () => {
    const slow = { release: 'slow', namespace: harness.namespace };
    const first = await deployAndWait(harness, 'slow');
    expect(`${first.state}: ${first.message.rendered}`).toMatch(/^completed: /);
    writeFileSync(join(dir, 'slow', 'nonce.txt'), uniqueName('nonce'));
    const jobId = await sendDeploy(harness, 'slow');
    await eventually(
      'helm to be upgrading the release',
      async () => (await helm.status(slow))?.status === 'pending-upgrade',
      120_000,
    );
    await pressCancel(jobId);
    const rendered = await expectCancelledAt(jobId, 'Helm upgrade', 'slow');
    expect(rendered).toContain('rolled back to revision 1');
    const history = await helm.history(slow);
    expect(history.map((r) => [r.revision, r.status])).toEqual([
      [1, 'superseded'],
      [2, 'superseded'],
      [3, 'deployed'],
    ]);
    const next = await deployAndWait(harness, 'slow');
    expect(`${next.state}: ${next.message.rendered}`).toMatch(/^completed: /);
    expect((await helm.status(slow))?.revision).toBe(4);
  }, 300_000);
});
