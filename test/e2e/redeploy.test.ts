import { HelmCli } from '../../core/adapters/helm-cli.js';
import { startDeployHarness, type DeployHarness } from '../support/deploy-harness.js';
import { testEnv } from '../support/test-env.js';
import { deployAndWait, expectNoUnhandled } from './deploy-helpers.js';

describe('deploying a service whose source has not changed', () => {
  let harness: DeployHarness;

  beforeAll(async () => {
    harness = await startDeployHarness(['tiny']);
  });
  afterAll(async () => {
    await harness.stopAll();
  });
  afterEach(() => {
    expectNoUnhandled(harness);
  });

  it('a second /deploy tiny of the same source, the same image tag, ends with the address', async () => {
    const first = await deployAndWait(harness, 'tiny');
    expect(first.state).toBe('completed');
    const tag = /commit (src-[0-9a-f]{12})/.exec(first.message.rendered)?.[1];
    const second = await deployAndWait(harness, 'tiny');
    expect(second.message.rendered.split('\n')[0]).toBe(
      ':white_check_mark: Deployed tiny@main → staging',
    );
    expect(second.state).toBe('completed');
    expect(second.message.rendered).toContain(`commit ${tag ?? '?'}`);
    expect(second.message.rendered).toMatch(/^Address: http:\/\/127\.0\.0\.1:3\d{4}$/m);
    const helm = new HelmCli({ bin: testEnv().helmBin, kubeconfig: harness.kube.kubeconfigPath });
    expect(
      (await helm.history({ release: 'tiny', namespace: harness.namespace })).map((revision) => [
        revision.revision,
        revision.status,
      ]),
    ).toEqual([
      [1, 'superseded'],
      [2, 'deployed'],
    ]);
  });
});
