import { loadYaml, type V1Deployment, type V1ReplicaSet } from '@kubernetes/client-node';
import {
  currentTemplateHash,
  deploymentRollout,
  rolloutProgress,
} from '../../../core/adapters/kubernetes/rollout-status.js';

type Json = Record<string, unknown>;

/** A Deployment as the API sends it, read by client-node's own deserializer. */
function deployment(status: Json, extra: { generation?: number; replicas?: number } = {}) {
  return loadYaml<V1Deployment>(
    JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'web',
        uid: 'uid-web',
        generation: extra.generation ?? 2,
        annotations: { 'deployment.kubernetes.io/revision': '2' },
      },
      spec: {
        replicas: extra.replicas ?? 3,
        selector: { matchLabels: { app: 'web' } },
        template: { spec: { containers: [{ name: 'app', image: 'web:2' }] } },
      },
      status,
    }),
  );
}

const complete = {
  observedGeneration: 2,
  replicas: 3,
  updatedReplicas: 3,
  readyReplicas: 3,
  availableReplicas: 3,
};

describe('deploymentRollout', () => {
  it('is complete when every desired replica is updated, ready and available, none old', () => {
    expect(deploymentRollout(deployment(complete))).toEqual({
      name: 'web',
      state: 'complete',
      desired: 3,
      updated: 3,
      ready: 3,
      available: 3,
      old: 0,
      message: 'Deployment web: 3/3 ready',
    });
  });

  it('is not complete before the controller has seen the new spec, whatever the counts say', () => {
    const rollout = deploymentRollout(deployment({ ...complete, observedGeneration: 1 }));
    expect(rollout.state).toBe('progressing');
    expect(rollout.message).toBe('Deployment web: waiting for the update to be seen');
  });

  it('is progressing while replicas are being updated', () => {
    const rollout = deploymentRollout(
      deployment({ ...complete, replicas: 4, updatedReplicas: 2, readyReplicas: 3 }),
    );
    expect(rollout).toMatchObject({ state: 'progressing', updated: 2, old: 2 });
    expect(rollout.message).toBe('Deployment web: 2/3 updated');
  });

  it('is progressing while old replicas are still there', () => {
    const rollout = deploymentRollout(deployment({ ...complete, replicas: 4 }));
    expect(rollout).toMatchObject({ state: 'progressing', old: 1 });
    expect(rollout.message).toBe('Deployment web: 1 old replicas pending termination');
  });

  it('is progressing while updated replicas are not yet ready or available', () => {
    expect(deploymentRollout(deployment({ ...complete, readyReplicas: 2 })).message).toBe(
      'Deployment web: 2/3 ready',
    );
    expect(deploymentRollout(deployment({ ...complete, availableReplicas: 1 })).state).toBe(
      'progressing',
    );
  });

  it('fails when the progress deadline is exceeded', () => {
    const rollout = deploymentRollout(
      deployment({
        observedGeneration: 2,
        replicas: 3,
        updatedReplicas: 1,
        conditions: [
          {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: 'ReplicaSet "web-7d9f" has timed out progressing.',
          },
        ],
      }),
    );
    expect(rollout.state).toBe('failed');
    expect(rollout.message).toBe(
      'Deployment web exceeded its progress deadline: ReplicaSet "web-7d9f" has timed out progressing.',
    );
  });

  it('does not take a Progressing condition that is True for a failure', () => {
    const rollout = deploymentRollout(
      deployment({
        ...complete,
        conditions: [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }],
      }),
    );
    expect(rollout.state).toBe('complete');
  });

  it('counts a Deployment without status as nothing ready, and scaled to zero as complete', () => {
    expect(deploymentRollout(deployment({}, { generation: 1 })).state).toBe('progressing');
    expect(deploymentRollout(deployment({ observedGeneration: 2 }, { replicas: 0 })).state).toBe(
      'complete',
    );
  });
});

describe('rolloutProgress', () => {
  it('sums the Deployments and says how many are ready, and how many old ones remain', () => {
    const web = deploymentRollout(
      deployment({ ...complete, replicas: 4, updatedReplicas: 3, readyReplicas: 2 }),
    );
    const worker = { ...deploymentRollout(deployment(complete, { replicas: 3 })), name: 'worker' };
    expect(rolloutProgress([worker, web])).toMatchObject({
      desired: 6,
      updated: 6,
      ready: 5,
      message: '5/6 ready (1 old)',
    });
    expect(rolloutProgress([worker]).message).toBe('3/3 ready');
    expect(rolloutProgress([]).message).toBe('0/0 ready');
  });
});

function replicaSet(name: string, revision: string, hash: string, ownerUid = 'uid-web') {
  return loadYaml<V1ReplicaSet>(
    JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name,
        labels: { 'pod-template-hash': hash },
        annotations: { 'deployment.kubernetes.io/revision': revision },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'web',
            uid: ownerUid,
            controller: true,
          },
        ],
      },
      spec: { selector: { matchLabels: { app: 'web' } } },
    }),
  );
}

describe('currentTemplateHash', () => {
  const old = replicaSet('web-old', '1', 'old');
  const current = replicaSet('web-new', '2', 'new');
  const stranger = replicaSet('other-new', '2', 'stranger', 'uid-other');
  const sets = [old, current, stranger];

  it("is the pod-template-hash of the Deployment's own ReplicaSet at its revision", () => {
    expect(currentTemplateHash(deployment(complete), sets)).toBe('new');
    expect(currentTemplateHash(deployment(complete), [stranger, current])).toBe('new');
  });

  it('is unknown before the controller has seen the spec or made the ReplicaSet', () => {
    expect(currentTemplateHash(deployment({ observedGeneration: 1 }), sets)).toBeUndefined();
    expect(currentTemplateHash(deployment(complete), [old, stranger])).toBeUndefined();
  });
});
