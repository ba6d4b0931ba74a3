import type { JsonObject } from '../../support/kube-api/json.js';
import type { KubeObject } from '../../support/kube-api/objects.js';
import { serverSideApply } from '../../support/kube-api/patch/server-side-apply.js';
import { resourceTypeFor } from '../../support/kube-api/resource-types.js';

const deployments = resourceTypeFor('apps', 'deployments');
const NOW = '2026-01-01T00:00:00Z';

function config(replicas: number, env: JsonObject[], extraLabel?: string): JsonObject {
  const labels: Record<string, string> = { app: 'web' };
  if (extraLabel !== undefined) labels[extraLabel] = 'yes';
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'web:1', env }] },
      },
    },
  };
}

function apply(
  live: KubeObject | undefined,
  applied: JsonObject,
  manager: string,
  force = false,
): KubeObject {
  return serverSideApply({
    type: deployments,
    live,
    applied,
    manager,
    force,
    subresource: undefined,
    now: NOW,
  });
}

describe('server-side apply', () => {
  it('records what the manager applied in managedFields', () => {
    const result = apply(undefined, config(2, [{ name: 'A', value: '1' }]), 'helm');
    const entry = result.metadata.managedFields?.[0];
    expect(entry).toMatchObject({
      manager: 'helm',
      operation: 'Apply',
      apiVersion: 'apps/v1',
      fieldsType: 'FieldsV1',
    });
    expect(entry?.fieldsV1).toHaveProperty(['f:spec', 'f:replicas'], {});
    expect(entry?.fieldsV1).toHaveProperty(
      [
        'f:spec',
        'f:template',
        'f:spec',
        'f:containers',
        'k:{"name":"web"}',
        'f:env',
        'k:{"name":"A"}',
        'f:value',
      ],
      {},
    );
  });

  it('removes fields the manager applied before and leaves out now', () => {
    const first = apply(
      undefined,
      config(
        2,
        [
          { name: 'A', value: '1' },
          { name: 'B', value: '2' },
        ],
        'canary',
      ),
      'helm',
    );
    const second = apply(first, config(2, [{ name: 'A', value: '1' }]), 'helm');
    expect(second).toHaveProperty('spec.template.spec.containers.0.env', [
      { name: 'A', value: '1' },
    ]);
    expect(second.metadata.labels).toEqual({ app: 'web' });
  });

  it('answers 409 when another manager owns a field with a different value, and moves ownership with force', () => {
    const owned = apply(undefined, config(2, []), 'helm');
    let conflict: unknown;
    try {
      apply(
        owned,
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'web' },
          spec: { replicas: 5 },
        },
        'kubectl',
      );
    } catch (error) {
      conflict = error;
    }
    expect(conflict).toMatchObject({
      code: 409,
      reason: 'Conflict',
      message: 'Apply failed with 1 conflict: conflict with "helm" using apps/v1: .spec.replicas',
      details: { causes: [{ reason: 'FieldManagerConflict', field: '.spec.replicas' }] },
    });

    const forced = apply(
      owned,
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web' },
        spec: { replicas: 5 },
      },
      'kubectl',
      true,
    );
    expect(forced).toHaveProperty('spec.replicas', 5);
    const helm = forced.metadata.managedFields?.find((entry) => entry.manager === 'helm');
    expect(helm?.fieldsV1).not.toHaveProperty(['f:spec', 'f:replicas']);
  });

  it('lets two managers share a field they set to the same value', () => {
    const owned = apply(undefined, config(2, []), 'helm');
    const shared = apply(
      owned,
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web' },
        spec: { replicas: 2 },
      },
      'other',
    );
    expect(shared.metadata.managedFields?.map((entry) => entry.manager)).toEqual(['helm', 'other']);
  });
});
