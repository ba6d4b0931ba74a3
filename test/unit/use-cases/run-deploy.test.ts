import { DeployError } from '../../../core/domain/deploy-error.js';
import { readMessage } from '../../support/fakes/index.js';
import { COMMIT, fakeDeploy } from './run-deploy-harness.js';

const TAG = COMMIT.slice(0, 12);

describe('runDeploy with every port faked', () => {
  it('runs every stage once its needs are done (the gate alongside build and push), and ends the message with the address', async () => {
    const { deploy, helm, builder, programs, lock, release, positions } = fakeDeploy();
    const { end, read } = await deploy();
    expect(end).toMatchObject({ kind: 'finished', result: { ok: true } });
    expect(positions).toEqual([
      'source after []',
      'test after [source]',
      // Started before the gate ended: the two overlap.
      'build after [source]',
      'push after [source build]',
      'deploy after [source build test push]',
      'verify after [source build test push deploy]',
      'report after [source build test push deploy verify]',
    ]);
    expect(programs.commands.filter((command) => command.startsWith('npm'))).toEqual(['npm test']);
    expect(builder.builds.map((build) => build.tags)).toEqual([
      [expect.stringMatching(/^harbormaster-test\/hello-world:[0-9a-f]{20}$/)],
      [`registry.example/team/hello-world:${TAG}`],
    ]);
    expect(builder.pushes.map((push) => push.reference)).toEqual([
      `registry.example/team/hello-world:${TAG}`,
    ]);
    expect(helm.current(release)).toEqual({
      'image.repository': 'registry.example/team/hello-world',
      'image.tag': TAG,
    });
    const shown = read().split('\n');
    expect(shown[0]).toBe(':white_check_mark: Deployed hello-world@main → staging');
    expect(shown).toContain('Address: http://127.0.0.1:31234');
    expect(shown.at(-2)).toMatch(/^Image: sha256:[0-9a-f]{64}$/);
    expect(shown.at(-1)).toBe('[Rollback]');
    expect(lock.held.size).toBe(0);
  });

  it('steps aside while another deploy holds the release, says so once, then runs', async () => {
    const { deploy, lock, chat, programs } = fakeDeploy();
    lock.held.set('staging/hello-world', {
      jobId: 'deploy-bob',
      deploy: { service: 'hello-world', ref: 'v2', environment: 'staging' },
      requestedBy: 'U0BOB',
    });
    const first = await deploy();
    expect(first.end).toEqual({ kind: 'waiting', holder: lock.held.get('staging/hello-world') });
    expect(first.read()).toContain(
      ':hourglass_flowing_sand: Waiting behind hello-world@v2 → staging by @U0BOB',
    );
    expect(programs.runs).toHaveLength(0);

    // Looked again while still held: nothing new is said.
    const updates = chat.callsTo('update').length;
    const again = await deploy({}, { toldWaitingBehind: 'deploy-bob' });
    expect(again.end.kind).toBe('waiting');
    expect(chat.callsTo('update')).toHaveLength(updates);

    lock.held.delete('staging/hello-world');
    const last = await deploy();
    expect(last.end).toMatchObject({ kind: 'finished', result: { ok: true } });
    expect(last.read()).not.toContain('Waiting behind');
  });

  it('waits behind a lock an older worker took, though it cannot say whose deploy it is', async () => {
    const { deploy, lock } = fakeDeploy();
    lock.held.set('staging/hello-world', { jobId: 'deploy-old' });
    const { end, read } = await deploy();
    expect(end).toEqual({ kind: 'waiting', holder: { jobId: 'deploy-old' } });
    expect(read()).toContain('Waiting behind another deploy of it');
  });

  it("resumes a deploy whose worker died once that worker's lease has lapsed, and the message says so", async () => {
    const { deploy, lock, chat } = fakeDeploy();
    const earlier = {
      jobId: 'deploy-1',
      deploy: { service: 'hello-world', ref: 'main', environment: 'staging' },
      requestedBy: 'U0ALICE',
    };
    lock.held.set('staging/hello-world', earlier);
    // The earlier attempt's lease still stands: its worker may be alive, running the deploy.
    const waiting = await deploy({}, { resumed: true });
    expect(waiting.end).toEqual({ kind: 'waiting', holder: earlier });
    // It says nothing: the message is the earlier attempt's to write.
    expect(chat.callsTo('update')).toHaveLength(0);

    lock.held.delete('staging/hello-world');
    const { end, read } = await deploy({}, { resumed: true });
    expect(end).toMatchObject({ kind: 'finished', result: { ok: true } });
    expect(read()).toContain(':recycle: Resumed after a worker restart');
    expect(lock.held.size).toBe(0);
  });

  it('does not run again a deploy that an earlier attempt of its job, on a worker that lost the job, ended', async () => {
    const { deploy, brakes, helm, release, chat, lock } = fakeDeploy();
    await brakes.history.record({
      jobId: 'deploy-1',
      service: 'hello-world',
      environment: 'staging',
      result: 'succeeded',
    });
    const { end } = await deploy({}, { resumed: true });
    expect(end).toEqual({ kind: 'ended-earlier', result: 'succeeded' });
    expect(helm.revisions(release)).toEqual([]);
    expect(chat.callsTo('update')).toHaveLength(0);
    expect(lock.held.size).toBe(0);
  });

  it('rolls back to the revision before when the new pods crash, and says so', async () => {
    const { deploy, helm, cluster, programs, release, chat } = fakeDeploy();
    await deploy();
    programs.on(['git', 'rev-parse'], { kind: 'exited', exitCode: 0, stdout: 'c0ffee'.repeat(7) });
    cluster.crashingTags.add('c0ffeec0ffee');
    const { end, read } = await deploy({ id: 'deploy-2', ref: 'feature' });
    expect(end).toMatchObject({
      kind: 'finished',
      result: { ok: false, stage: 'verify', error: { code: 'ROLLOUT_FAILED' } },
    });
    expect(helm.revisions(release).map((r) => [r.revision, r.status, r.description])).toEqual([
      [1, 'superseded', 'Install complete'],
      [2, 'superseded', 'Upgrade complete'],
      [3, 'deployed', 'Rollback to 1'],
    ]);
    expect(helm.current(release)?.['image.tag']).toBe(TAG);
    expect(read().split('\n').slice(-3)).toEqual([
      expect.stringMatching(
        /^Failed at Rollout after \d+\.\ds: pod hello-world-1 is in CrashLoopBackOff$/,
      ),
      ':leftwards_arrow_with_hook: Rolled back to revision 1.',
      '[Rollback]',
    ]);
    const [notice] = chat.callsTo('post').filter((call) => call.channel === 'C0ALERTS');
    expect(readMessage(notice?.message ?? { summary: [], blocks: [] })).toMatch(
      /failed at Rollout: pod hello-world-1 is in CrashLoopBackOff Rolled back to revision 1\./,
    );
  });

  it('cannot roll back a first install whose pods crash, and says why', async () => {
    const { deploy, helm, cluster, release } = fakeDeploy();
    cluster.crashingTags.add(TAG);
    const { end, read } = await deploy();
    expect(end).toMatchObject({ kind: 'finished', result: { ok: false, stage: 'verify' } });
    expect(helm.revisions(release)).toHaveLength(1);
    expect(read()).toContain(
      'This was the first install, so there is no earlier revision to roll back to.',
    );
    expect(read()).not.toContain('Rolled back');
  });

  it('keeps the API server, kubeconfig path, context and internal addresses out of chat; the log has them', async () => {
    const logs: string[] = [];
    const infrastructure = {
      servers: ['https://prod-api.corp.example:6443'],
      paths: ['/etc/harbormaster/cluster.yaml'],
    };
    const { deploy, helm, chat } = fakeDeploy({ infrastructure, logs });
    const detail =
      'Kubernetes cluster unreachable: Get "https://prod-api.corp.example:6443/version" (context prod-admin) ' +
      'via 10.20.30.40:6443 with /etc/harbormaster/cluster.yaml and /root/.kube/config';
    helm.failNext('upgradeInstall', new DeployError('HELM_FAILED', detail));
    const { end, read, message } = await deploy();
    expect(end).toMatchObject({ kind: 'finished', result: { ok: false, stage: 'deploy' } });
    const [notice] = chat.callsTo('post').filter((call) => call.channel === 'C0ALERTS');
    const shown = [
      read(),
      readMessage(notice?.message ?? { summary: [], blocks: [] }),
      JSON.stringify(chat.messages.get(message)),
    ].join('\n');
    for (const hidden of [
      'prod-api.corp.example',
      'prod-admin',
      '10.20.30.40',
      '/etc/harbormaster/cluster.yaml',
      '.kube/config',
    ]) {
      expect(shown).not.toContain(hidden);
      expect(logs.join('')).toContain(hidden);
    }
    expect(read()).toContain(
      'Kubernetes cluster unreachable: Get "[API server]/version" (context [context]) via [internal address] with [kubeconfig] and [kubeconfig]',
    );
  });

  it('ends the deploy, told, when helm cannot read the release before it starts (the cluster unreachable)', async () => {
    const { deploy, helm, builder, release } = fakeDeploy({
      infrastructure: { servers: ['http://localhost:8080'], paths: [] },
    });
    helm.failNext(
      'status',
      new DeployError(
        'HELM_FAILED',
        'helm status hello-world failed: Error: kubernetes cluster unreachable: Get "http://localhost:8080/version": connection refused',
      ),
    );
    const { end, read } = await deploy();
    expect(end).toMatchObject({ kind: 'finished', result: { ok: false, stage: 'deploy' } });
    expect(builder.builds).toEqual([]);
    expect(helm.revisions(release)).toEqual([]);
    expect(read()).toContain(
      'Failed at Helm upgrade after 0.0s: helm status hello-world failed: Error: kubernetes cluster unreachable: Get "[API server]/version": connection refused',
    );
    expect(read()).not.toContain('workers running this deploy stopped');
  });

  it('stops at a failed test gate: the release untouched, no image left in the registry, the log in the thread', async () => {
    const { deploy, programs, builder, helm, release, chat, registryApi, testedImages } =
      fakeDeploy();
    programs.on(['npm', 'test'], {
      kind: 'exited',
      exitCode: 1,
      stdout: '',
      lines: ['FAIL test/app.test.ts', '1 failing: greeting'],
    });
    const { end, read, message } = await deploy();
    expect(end).toMatchObject({ kind: 'finished', result: { ok: false, stage: 'test' } });
    // The test image, made for the tests, is removed after them.
    expect(builder.removed).toEqual([
      expect.stringMatching(/^harbormaster-test\/hello-world:[0-9a-f]{20}$/),
    ]);
    expect(builder.pushes).toHaveLength(1);
    expect(registryApi.deleted).toHaveLength(1);
    // Whatever was pushed alongside the gate is gone, and nothing says it passed.
    expect([...registryApi.manifests.keys()]).toEqual([]);
    expect([...testedImages.records.keys()]).toEqual([]);
    expect(helm.revisions(release)).toEqual([]);
    expect(read()).toMatch(
      /Failed at Test gate after \d+\.\ds: the tests \(services\.hello-world\.test\.command\) exited with code 1\n\[Rollback\]$/,
    );
    const thread = chat.messages
      .get(message)
      ?.replies.map((reply) => readMessage(reply).split('\n'));
    expect(thread).toEqual([
      [
        'Test gate log:',
        expect.stringMatching(/^Successfully tagged harbormaster-test\/hello-world:/),
        'running services.hello-world.test.command in a sandbox: 2048 MiB memory, 1 CPU, 512 processes, 512 MiB /tmp, network default',
        'FAIL test/app.test.ts',
        '1 failing: greeting',
      ],
    ]);
  });

  it('retries a push the registry refused for a while, and gives up at once on a refused login', async () => {
    const flaky = fakeDeploy();
    flaky.builder.failPushes(
      new DeployError('PUSH_FAILED', 'registry answered 503'),
      new DeployError('PUSH_FAILED', 'registry answered 503'),
    );
    const retried = await flaky.deploy();
    expect(retried.end).toMatchObject({ kind: 'finished', result: { ok: true } });
    expect(flaky.builder.pushes).toHaveLength(3);

    const refused = fakeDeploy();
    refused.builder.failPushes(new DeployError('REGISTRY_AUTH', 'the registry refused the login'));
    const failed = await refused.deploy();
    expect(failed.end).toMatchObject({ kind: 'finished', result: { ok: false, stage: 'push' } });
    expect(refused.builder.pushes).toHaveLength(1);
    expect(failed.read()).toMatch(
      /Failed at Push image after \d+\.\ds: the registry refused the login\n\[Rollback\]$/,
    );
    expect(refused.helm.revisions(refused.release)).toEqual([]);
  });
});
