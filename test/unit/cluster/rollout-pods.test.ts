import { loadYaml, type V1Pod } from '@kubernetes/client-node';
import {
  describeFailingPods,
  failingPods,
} from '../../../core/adapters/kubernetes/rollout-pods.js';

type Json = Record<string, unknown>;

function pod(
  name: string,
  statuses: Json[],
  extra: { hash?: string; deleting?: boolean; init?: Json[] } = {},
) {
  return loadYaml<V1Pod>(
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        labels: { 'pod-template-hash': extra.hash ?? 'new' },
        ...(extra.deleting ? { deletionTimestamp: '2026-03-01T11:00:00Z' } : {}),
      },
      spec: { containers: [{ name: 'app' }] },
      status: {
        phase: 'Pending',
        containerStatuses: statuses,
        ...(extra.init ? { initContainerStatuses: extra.init } : {}),
      },
    }),
  );
}

function waiting(reason: string, message?: string, lastExit?: number): Json {
  return {
    name: 'app',
    image: 'web:2',
    imageID: '',
    ready: false,
    restartCount: lastExit === undefined ? 0 : 3,
    state: { waiting: { reason, ...(message ? { message } : {}) } },
    ...(lastExit === undefined
      ? {}
      : { lastState: { terminated: { exitCode: lastExit, reason: 'Error' } } }),
  };
}

const running: Json = {
  name: 'app',
  image: 'web:2',
  imageID: '',
  ready: true,
  restartCount: 0,
  state: { running: { startedAt: '2026-03-01T11:00:00Z' } },
};

describe('failingPods', () => {
  it('finds crash loops and image pull failures, with the reason, message and exit code', () => {
    expect(
      failingPods([
        pod('web-b', [waiting('ImagePullBackOff', 'Back-off pulling image "web:2"')]),
        pod('web-a', [waiting('CrashLoopBackOff', 'back-off 10s restarting', 1)]),
        pod('web-c', [waiting('ErrImagePull')]),
        pod('web-d', [running]),
      ]),
    ).toEqual([
      {
        pod: 'web-a',
        container: 'app',
        reason: 'CrashLoopBackOff',
        message: 'back-off 10s restarting',
        exitCode: 1,
      },
      {
        pod: 'web-b',
        container: 'app',
        reason: 'ImagePullBackOff',
        message: 'Back-off pulling image "web:2"',
      },
      { pod: 'web-c', container: 'app', reason: 'ErrImagePull' },
    ]);
  });

  it('does not count a container that is just starting', () => {
    expect(failingPods([pod('web-a', [waiting('ContainerCreating')])])).toEqual([]);
  });

  it('counts an init container that cannot start', () => {
    expect(
      failingPods([
        pod('web-a', [waiting('PodInitializing')], {
          init: [{ ...waiting('CrashLoopBackOff'), name: 'migrate' }],
        }),
      ]),
    ).toEqual([{ pod: 'web-a', container: 'migrate', reason: 'CrashLoopBackOff' }]);
  });

  it("leaves out pods being deleted and, given a template hash, other revisions' pods", () => {
    const pods = [
      pod('web-old', [waiting('CrashLoopBackOff')], { hash: 'old' }),
      pod('web-gone', [waiting('CrashLoopBackOff')], { deleting: true }),
      pod('web-new', [waiting('ImagePullBackOff')], { hash: 'new' }),
    ];
    expect(failingPods(pods).map((failing) => failing.pod)).toEqual(['web-new', 'web-old']);
    expect(failingPods(pods, 'new').map((failing) => failing.pod)).toEqual(['web-new']);
    expect(failingPods(pods, 'old').map((failing) => failing.pod)).toEqual(['web-old']);
  });
});

describe('describeFailingPods', () => {
  it('names the pods and their reasons, as a person reads them, and counts the rest', () => {
    const pods = failingPods([
      pod('web-a', [waiting('CrashLoopBackOff', undefined, 1)]),
      pod('web-b', [waiting('ImagePullBackOff', 'Back-off pulling image "web:2"')]),
      pod('web-c', [waiting('CrashLoopBackOff')]),
      pod('web-d', [waiting('CrashLoopBackOff')]),
    ]);
    expect(describeFailingPods(pods, 2)).toBe(
      'pod web-a (CrashLoopBackOff, exit code 1), pod web-b (ImagePullBackOff: Back-off pulling image "web:2") and 2 more',
    );
    expect(describeFailingPods(pods.slice(2))).toBe(
      'pod web-c (CrashLoopBackOff), pod web-d (CrashLoopBackOff)',
    );
  });
});
