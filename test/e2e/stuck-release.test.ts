import type { ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HelmCli } from '../../core/adapters/helm-cli.js';
import { startDeployHarness, TINY_FIXTURE, type DeployHarness } from '../support/deploy-harness.js';
import { eventually } from '../support/eventually.js';
import { slowHookChart } from '../support/slow-hook-chart.js';
import { testEnv, uniqueName } from '../support/test-env.js';
import { spawnWorkerProcess } from '../support/worker-process.js';
import { deployAndWait, expectNoUnhandled, finalMessage, sendDeploy } from './deploy-helpers.js';

describe('a release left pending by a worker killed during helm upgrade', () => {
  let harness: DeployHarness;
  let helm: HelmCli;
  let worker: ChildProcess | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'hm-e2e-stuck-'));
  const release = () => ({ release: 'slow', namespace: harness.namespace });

  beforeAll(async () => {
    cpSync(TINY_FIXTURE, join(dir, 'slow'), { recursive: true });
    harness = await startDeployHarness([], {
      inProcessWorker: false,
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
    if (worker?.pid !== undefined && worker.exitCode === null && worker.signalCode === null) {
      process.kill(-worker.pid, 'SIGKILL');
    }
    await harness.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  afterEach(() => {
    expectNoUnhandled(harness);
  });

  it('is recovered by the next run of the deploy, which then succeeds and says so', async () => {
    // Its job is taken again this long after it is killed (30 s by default).
    worker = (await spawnWorkerProcess(harness.env, { detached: true, lockDurationMs: 15_000 }))
      .child;
    const first = await deployAndWait(harness, 'slow');
    expect(`${first.state}: ${first.message.rendered}`).toMatch(/^completed: /);

    writeFileSync(join(dir, 'slow', 'nonce.txt'), uniqueName('nonce'));
    const jobId = await sendDeploy(harness, 'slow');
    await eventually(
      'helm to be upgrading the release',
      async () => (await helm.status(release()))?.status === 'pending-upgrade',
      240_000,
    );
    // The worker and the helm it runs die at once, as when their pod is killed.
    const exited = new Promise((resolve) => worker?.once('exit', resolve));
    process.kill(-(worker.pid ?? 0), 'SIGKILL');
    await exited;
    expect(await helm.status(release())).toMatchObject({ revision: 2, status: 'pending-upgrade' });

    harness.startAnotherWorker();
    const { message, state } = await finalMessage(harness, jobId, 300_000);
    expect(`${state}: ${message.rendered}`).toMatch(/^completed: /);
    expect(message.rendered).toContain(
      'Recovered slow: it was left pending-upgrade (revision 2) by a deploy that died',
    );
    expect(message.rendered).toContain('rolled back to revision 1');
    const history = await helm.history(release());
    expect(history.at(-1)).toMatchObject({ status: 'deployed' });
    // helm keeps the dead upgrade's record as it was; the release itself is no longer pending.
    expect(await helm.status(release())).toMatchObject({ status: 'deployed' });
  }, 720_000);
});
