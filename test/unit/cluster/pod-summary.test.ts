import { loadYaml, type V1Pod } from '@kubernetes/client-node';
import { podSummary } from '../../../core/adapters/kubernetes/pod-summary.js';

type Json = Record<string, unknown>;

const CREATED = '2026-03-01T11:00:00Z';

/** A pod as the API sends it, read by client-node's own deserializer. */
function pod(status: Json, containers = ['app'], extra: Json = {}): V1Pod {
  return loadYaml<V1Pod>(
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-5d8f7-abcde', creationTimestamp: CREATED },
      spec: { nodeName: 'node-1', containers: containers.map((name) => ({ name })) },
      status,
      ...extra,
    }),
  );
}

function container(name: string, extra: Json = {}): Json {
  return {
    name,
    image: 'registry.local/app:1',
    imageID: '',
    ready: true,
    restartCount: 0,
    state: { running: { startedAt: CREATED } },
    ...extra,
  };
}

describe('podSummary', () => {
  it('maps a running, ready pod', () => {
    expect(
      podSummary(
        pod({ phase: 'Running', containerStatuses: [container('app', { restartCount: 2 })] }),
      ),
    ).toEqual({
      name: 'web-5d8f7-abcde',
      phase: 'Running',
      readyContainers: 1,
      totalContainers: 1,
      restarts: 2,
      createdAt: new Date(CREATED),
      node: 'node-1',
    });
  });

  it('counts ready containers and sums restarts over containers', () => {
    const summary = podSummary(
      pod(
        {
          phase: 'Running',
          containerStatuses: [
            container('app', { restartCount: 3 }),
            container('sidecar', { ready: false, restartCount: 4 }),
          ],
        },
        ['app', 'sidecar'],
      ),
    );
    expect(summary).toMatchObject({ readyContainers: 1, totalContainers: 2, restarts: 7 });
    expect(summary.problem).toBeUndefined();
  });

  it('names a crash loop', () => {
    const summary = podSummary(
      pod({
        phase: 'Running',
        containerStatuses: [
          container('app', {
            ready: false,
            restartCount: 5,
            state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s' } },
            lastState: { terminated: { exitCode: 1, reason: 'Error' } },
          }),
        ],
      }),
    );
    expect(summary).toMatchObject({ problem: 'CrashLoopBackOff', restarts: 5, readyContainers: 0 });
  });

  it.each(['ImagePullBackOff', 'ErrImagePull', 'CreateContainerConfigError', 'InvalidImageName'])(
    'names a container waiting with %s',
    (reason) => {
      const summary = podSummary(
        pod({
          phase: 'Pending',
          containerStatuses: [container('app', { ready: false, state: { waiting: { reason } } })],
        }),
      );
      expect(summary.problem).toBe(reason);
    },
  );

  it('does not call starting a problem', () => {
    const summary = podSummary(
      pod({
        phase: 'Pending',
        containerStatuses: [
          container('app', { ready: false, state: { waiting: { reason: 'ContainerCreating' } } }),
        ],
      }),
    );
    expect(summary).toMatchObject({ phase: 'Pending', readyContainers: 0, totalContainers: 1 });
    expect(summary.problem).toBeUndefined();
  });

  it('names OOMKilled, now or as the last restart', () => {
    const killed = podSummary(
      pod({
        phase: 'Running',
        containerStatuses: [
          container('app', {
            ready: false,
            state: { terminated: { exitCode: 137, reason: 'OOMKilled' } },
          }),
        ],
      }),
    );
    expect(killed.problem).toBe('OOMKilled');
    const restarted = podSummary(
      pod({
        phase: 'Running',
        containerStatuses: [
          container('app', {
            restartCount: 1,
            lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } },
          }),
        ],
      }),
    );
    expect(restarted.problem).toBe('OOMKilled');
  });

  it('names a failed exit without a reason by its code, and not a clean one', () => {
    const failed = podSummary(
      pod({
        phase: 'Failed',
        containerStatuses: [
          container('app', { ready: false, state: { terminated: { exitCode: 3 } } }),
        ],
      }),
    );
    expect(failed.problem).toBe('exit code 3');
    const done = podSummary(
      pod({
        phase: 'Succeeded',
        containerStatuses: [
          container('app', {
            ready: false,
            state: { terminated: { exitCode: 0, reason: 'Completed' } },
          }),
        ],
      }),
    );
    expect(done.problem).toBeUndefined();
  });

  it('prefixes an init container problem with Init:', () => {
    const summary = podSummary(
      pod({
        phase: 'Pending',
        initContainerStatuses: [
          container('migrate', {
            ready: false,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
          }),
        ],
        containerStatuses: [
          container('app', { ready: false, state: { waiting: { reason: 'PodInitializing' } } }),
        ],
      }),
    );
    expect(summary.problem).toBe('Init:CrashLoopBackOff');
  });

  it("uses the pod's own reason and an unschedulable condition", () => {
    expect(podSummary(pod({ phase: 'Failed', reason: 'Evicted' })).problem).toBe('Evicted');
    const unscheduled = podSummary(
      pod(
        {
          phase: 'Pending',
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              reason: 'Unschedulable',
              message: '0/3 nodes are available',
            },
          ],
        },
        ['app'],
        { spec: { containers: [{ name: 'app' }] } },
      ),
    );
    expect(unscheduled).toMatchObject({
      problem: 'Unschedulable',
      totalContainers: 1,
      restarts: 0,
    });
    expect(unscheduled.node).toBeUndefined();
  });

  it('marks a pod being deleted and tolerates missing fields', () => {
    expect(
      podSummary(
        pod({ phase: 'Running' }, ['app'], {
          metadata: { name: 'old', deletionTimestamp: '2026-03-01T11:59:00Z' },
        }),
      ),
    ).toEqual({
      name: 'old',
      phase: 'Running',
      readyContainers: 0,
      totalContainers: 1,
      restarts: 0,
      node: 'node-1',
      terminating: true,
    });
    expect(podSummary(loadYaml<V1Pod>('{"apiVersion":"v1","kind":"Pod"}'))).toEqual({
      name: '',
      phase: 'Unknown',
      readyContainers: 0,
      totalContainers: 0,
      restarts: 0,
    });
  });
});
