import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HelmCli } from '../../core/adapters/helm-cli.js';
import { startDeployHarness, type DeployHarness } from '../support/deploy-harness.js';
import { dockerFromHost } from '../support/docker-engine.js';
import { engineNow, imagesTagged } from '../support/image-events.js';
import { testEnv } from '../support/test-env.js';
import { deployAndWait, expectNoUnhandled } from './deploy-helpers.js';

describe('deploying a service whose source has not changed', () => {
  let harness: DeployHarness;
  const docker = dockerFromHost(testEnv().dockerHost);

  beforeAll(async () => {
    harness = await startDeployHarness(['tiny']);
  });
  afterAll(async () => {
    await harness.stopAll();
  });
  afterEach(() => {
    expectNoUnhandled(harness);
  });

  /** A deploy, and the service images the engine built meanwhile (by their tag events). */
  async function deployWatchingBuilds(text: string) {
    const since = engineNow() - 1;
    const end = await deployAndWait(harness, text);
    const repository = `${testEnv().registry.address}/${harness.namespace}/tiny:`;
    const built = await imagesTagged(docker, repository, { since, until: engineNow() + 1 });
    return { ...end, rendered: end.message.rendered, built };
  }

  const revisions = async () => {
    const helm = new HelmCli({ bin: testEnv().helmBin, kubeconfig: harness.kube.kubeconfigPath });
    const history = await helm.history({ release: 'tiny', namespace: harness.namespace });
    return history.map((revision) => [revision.revision, revision.status]);
  };

  it('a second /deploy tiny of the same source reuses the image that passed: no gate, no build, no push; --rebuild builds; a change builds', async () => {
    const first = await deployWatchingBuilds('tiny');
    expect(first.state).toBe('completed');
    const tag = /commit (src-[0-9a-f]{12})/.exec(first.rendered)?.[1] ?? 'no-commit';
    const image = `${testEnv().registry.address}/${harness.namespace}/tiny:${tag}`;
    expect(first.built).toEqual([image]);

    const second = await deployWatchingBuilds('tiny');
    expect(second.state).toBe('completed');
    const lines = second.rendered.split('\n');
    expect(lines[0]).toBe(':white_check_mark: Deployed tiny@main → staging');
    expect(second.rendered).toContain(`commit ${tag}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        ':heavy_minus_sign: Test gate · skipped',
        ':heavy_minus_sign: Build image · skipped',
        ':heavy_minus_sign: Push image · skipped',
      ]),
    );
    expect(second.rendered).toMatch(
      new RegExp(
        `^:recycle: Reused image ${image.replace(/[.]/g, '\\.')}, tested at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC$`,
        'm',
      ),
    );
    expect(second.built).toEqual([]);
    expect(second.rendered).toMatch(/^Address: http:\/\/127\.0\.0\.1:3\d{4}$/m);
    expect(await revisions()).toEqual([
      [1, 'superseded'],
      [2, 'deployed'],
    ]);

    const rebuilt = await deployWatchingBuilds('tiny --rebuild');
    expect(rebuilt.state).toBe('completed');
    expect(rebuilt.rendered).not.toMatch(/skipped|Reused/);
    expect(rebuilt.rendered).toMatch(/^:white_check_mark: Build image · \d+\.\ds$/m);
    expect(rebuilt.built).toEqual([image]);

    writeFileSync(join(harness.sources.tiny ?? '', 'changed.txt'), 'a change\n');
    const changed = await deployWatchingBuilds('tiny');
    expect(changed.state).toBe('completed');
    expect(changed.rendered).not.toMatch(/skipped|Reused/);
    expect(changed.rendered).not.toContain(`commit ${tag}`);
    expect(changed.built).toHaveLength(1);
    expect(changed.built).not.toEqual([image]);
    expect((await revisions()).at(-1)).toEqual([4, 'deployed']);
  });
});
