import { ApiError } from '../../support/kube-api/api-error.js';
import type { JsonObject } from '../../support/kube-api/json.js';
import { applyJsonMergePatch } from '../../support/kube-api/patch/json-merge-patch.js';
import { applyJsonPatch, decodeJsonPatch } from '../../support/kube-api/patch/json-patch.js';
import { applyStrategicMergePatch } from '../../support/kube-api/patch/strategic-merge-patch.js';
import { resourceTypeFor } from '../../support/kube-api/resource-types.js';

const deployments = resourceTypeFor('apps', 'deployments');
const services = resourceTypeFor('', 'services');

function deployment(): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' }, finalizers: ['a'] },
    spec: {
      replicas: 2,
      template: {
        spec: {
          containers: [
            {
              name: 'web',
              image: 'web:1',
              ports: [{ containerPort: 5000, protocol: 'TCP' }],
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
              ],
              args: ['--one'],
            },
            { name: 'sidecar', image: 'proxy:1' },
          ],
        },
      },
    },
  };
}

describe('JSON merge patch (RFC 7386)', () => {
  it('merges objects, deletes with null and replaces lists', () => {
    const patched = applyJsonMergePatch(deployment(), {
      metadata: { labels: { app: null, tier: 'web' } },
      spec: { replicas: 3, template: { spec: { containers: [{ name: 'only' }] } } },
    });
    expect(patched).toMatchObject({ metadata: { labels: { tier: 'web' } }, spec: { replicas: 3 } });
    expect((patched as JsonObject).metadata).not.toHaveProperty('labels.app');
    expect(patched).toHaveProperty('spec.template.spec.containers', [{ name: 'only' }]);
  });
});

describe('JSON patch (RFC 6902)', () => {
  it('applies add, replace, remove, move, copy and test in order', () => {
    const operations = decodeJsonPatch([
      { op: 'test', path: '/spec/replicas', value: 2 },
      { op: 'replace', path: '/spec/replicas', value: 4 },
      { op: 'add', path: '/metadata/labels/tier', value: 'web' },
      { op: 'add', path: '/spec/template/spec/containers/0/args/-', value: '--two' },
      { op: 'copy', from: '/metadata/labels/app', path: '/metadata/labels/copy' },
      { op: 'move', from: '/metadata/labels/copy', path: '/metadata/labels/moved' },
      { op: 'remove', path: '/spec/template/spec/containers/1' },
      { op: 'add', path: '/metadata/annotations', value: { 'a~b/c': 'x' } },
      { op: 'test', path: '/metadata/annotations/a~0b~1c', value: 'x' },
    ]);
    const patched = applyJsonPatch(deployment(), operations);
    expect(patched).toMatchObject({
      metadata: { labels: { app: 'web', tier: 'web', moved: 'web' } },
      spec: { replicas: 4 },
    });
    expect(patched).toHaveProperty('spec.template.spec.containers.0.args', ['--one', '--two']);
    expect(patched).toHaveProperty('spec.template.spec.containers.length', 1);
  });

  it('answers a failed test with 422 and a malformed patch with 400', () => {
    expect(() =>
      applyJsonPatch(
        deployment(),
        decodeJsonPatch([{ op: 'test', path: '/spec/replicas', value: 9 }]),
      ),
    ).toThrow(expect.objectContaining({ code: 422, reason: 'Invalid' }) as Error);
    expect(() => decodeJsonPatch({ op: 'add' })).toThrow(
      expect.objectContaining({ code: 400 }) as Error,
    );
    expect(() =>
      applyJsonPatch(deployment(), decodeJsonPatch([{ op: 'remove', path: '/spec/nothing' }])),
    ).toThrow(ApiError);
  });
});

describe('strategic merge patch', () => {
  it('merges containers by name, env by name and ports by containerPort', () => {
    const patched = applyStrategicMergePatch(deployments, deployment(), {
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'web',
                image: 'web:2',
                env: [
                  { name: 'B', value: 'changed' },
                  { name: 'C', value: '3' },
                ],
                ports: [{ containerPort: 8080 }],
              },
            ],
          },
        },
      },
    });
    expect(patched).toHaveProperty('spec.template.spec.containers', [
      {
        name: 'web',
        image: 'web:2',
        ports: [{ containerPort: 5000, protocol: 'TCP' }, { containerPort: 8080 }],
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: 'changed' },
          { name: 'C', value: '3' },
        ],
        args: ['--one'],
      },
      { name: 'sidecar', image: 'proxy:1' },
    ]);
  });

  it('honours $patch: delete, $patch: replace, $setElementOrder and $deleteFromPrimitiveList', () => {
    const patched = applyStrategicMergePatch(deployments, deployment(), {
      metadata: {
        $deleteFromPrimitiveList: undefined,
        '$deleteFromPrimitiveList/finalizers': ['a'],
      },
      spec: {
        template: {
          spec: {
            $setElementOrder: undefined,
            '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'web' }],
            containers: [
              { name: 'web', env: [{ name: 'A', $patch: 'delete' }] },
              { name: 'sidecar', args: ['--x'] },
            ],
          },
        },
      },
    });
    expect(patched).toHaveProperty('metadata.finalizers', []);
    expect(patched).toHaveProperty('spec.template.spec.containers.0.name', 'sidecar');
    expect(patched).toHaveProperty('spec.template.spec.containers.1.env', [
      { name: 'B', value: '2' },
    ]);

    const replaced = applyStrategicMergePatch(deployments, deployment(), {
      spec: {
        template: {
          spec: { containers: [{ $patch: 'replace' }, { name: 'solo', image: 'solo:1' }] },
        },
      },
    });
    expect(replaced).toHaveProperty('spec.template.spec.containers', [
      { name: 'solo', image: 'solo:1' },
    ]);
  });

  it('replaces lists that have no merge key, such as args', () => {
    const patched = applyStrategicMergePatch(deployments, deployment(), {
      spec: { template: { spec: { containers: [{ name: 'web', args: ['--two'] }] } } },
    });
    expect(patched).toHaveProperty('spec.template.spec.containers.0.args', ['--two']);
  });

  it('merges Service ports by port', () => {
    const service: JsonObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { ports: [{ name: 'http', port: 80, targetPort: 5000 }] },
    };
    const patched = applyStrategicMergePatch(services, service, {
      spec: {
        ports: [
          { port: 80, targetPort: 8080 },
          { name: 'metrics', port: 9090 },
        ],
      },
    });
    expect(patched).toHaveProperty('spec.ports', [
      { name: 'http', port: 80, targetPort: 8080 },
      { name: 'metrics', port: 9090 },
    ]);
  });

  it('rejects a list item without its merge key and an unknown directive', () => {
    expect(() =>
      applyStrategicMergePatch(deployments, deployment(), {
        spec: { template: { spec: { containers: [{ image: 'x' }] } } },
      }),
    ).toThrow(expect.objectContaining({ code: 400 }) as Error);
    expect(() => applyStrategicMergePatch(deployments, deployment(), { $unknown: 1 })).toThrow(
      ApiError,
    );
  });
});
