import { COMMIT, fakeDeploy } from './run-deploy-harness.js';

const TAG = COMMIT.slice(0, 12);
const IMAGE = `registry.example/team/hello-world:${TAG}`;
const OTHER_COMMIT = '9d8c7b6a5f4e3d2c1b0a99887766554433221100';

/** Builds of the service's own image, not the test gate's. */
function serviceBuilds(builder: ReturnType<typeof fakeDeploy>['builder']) {
  return builder.builds.filter((build) => build.target !== 'test');
}

describe('a deploy of a source whose image already passed the gate', () => {
  it('skips test gate, build and push, deploys the image in the registry, and says so', async () => {
    const { deploy, builder, programs, helm, release, testedImages } = fakeDeploy();
    await deploy();
    const testedAt = testedImages.records.get(IMAGE)?.testedAt ?? '';
    expect(testedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const runsBefore = programs.commands.length;
    const { end, read } = await deploy({ id: 'deploy-again' });
    expect(end).toMatchObject({ kind: 'finished', result: { ok: true } });
    expect(serviceBuilds(builder)).toHaveLength(1);
    expect(builder.pushes).toHaveLength(1);
    expect(programs.commands.slice(runsBefore).some((run) => run.startsWith('npm'))).toBe(false);
    expect(helm.revisions(release)).toHaveLength(2);
    expect(helm.current(release)).toMatchObject({ 'image.tag': TAG });
    const shown = read().split('\n');
    expect(shown).toEqual(
      expect.arrayContaining([
        ':heavy_minus_sign: Test gate · skipped',
        ':heavy_minus_sign: Build image · skipped',
        ':heavy_minus_sign: Push image · skipped',
        `:recycle: Reused image ${IMAGE}, tested at ${testedAt.slice(0, 16).replace('T', ' ')} UTC`,
      ]),
    );
    expect(shown[0]).toBe(':white_check_mark: Deployed hello-world@main → staging');
  });

  it('with --rebuild, tests, builds and pushes again', async () => {
    const { deploy, builder } = fakeDeploy();
    await deploy();
    const { end, read } = await deploy({ id: 'deploy-rebuild', rebuild: true });
    expect(end).toMatchObject({ kind: 'finished', result: { ok: true } });
    expect(serviceBuilds(builder)).toHaveLength(2);
    expect(builder.pushes).toHaveLength(2);
    expect(read()).not.toMatch(/skipped|Reused/);
  });

  it('builds a changed source again', async () => {
    const { deploy, builder, programs } = fakeDeploy();
    await deploy();
    programs
      .on(['git', 'rev-parse'], { kind: 'exited', exitCode: 0, stdout: `${OTHER_COMMIT}\n` })
      .on(['git', 'ls-remote'], {
        kind: 'exited',
        exitCode: 0,
        stdout: `${OTHER_COMMIT}\trefs/heads/main`,
      });
    const { read } = await deploy({ id: 'deploy-changed' });
    expect(serviceBuilds(builder).map((build) => build.tags)).toEqual([
      [IMAGE],
      [`registry.example/team/hello-world:${OTHER_COMMIT.slice(0, 12)}`],
    ]);
    expect(read()).not.toMatch(/Reused/);
  });

  it('builds again when the registry no longer has the tested image, or has another one', async () => {
    const { deploy, builder, registryApi } = fakeDeploy();
    await deploy();
    registryApi.manifests.delete(IMAGE);
    await deploy({ id: 'deploy-gone' });
    expect(serviceBuilds(builder)).toHaveLength(2);
    registryApi.manifests.set(IMAGE, `sha256:${'0'.repeat(64)}`);
    await deploy({ id: 'deploy-replaced' });
    expect(serviceBuilds(builder)).toHaveLength(3);
  });

  it('builds again when the gate changed since the image passed', async () => {
    const { deploy, builder, deps } = fakeDeploy();
    await deploy();
    const service = deps.catalog.services['hello-world'];
    if (service === undefined) throw new Error('no hello-world in the catalog');
    service.test = { ...service.test, command: ['npm', 'run', 'test:all'] };
    await deploy({ id: 'deploy-new-gate' });
    expect(serviceBuilds(builder)).toHaveLength(2);
  });

  it('builds again when Redis cannot say whether the image passed', async () => {
    const { deploy, builder, testedImages } = fakeDeploy();
    await deploy();
    testedImages.find = () => Promise.reject(new Error('connection lost'));
    const { end } = await deploy({ id: 'deploy-no-redis' });
    expect(end).toMatchObject({ kind: 'finished', result: { ok: true } });
    expect(serviceBuilds(builder)).toHaveLength(2);
  });
});
