import { BackOff, formatDuration } from '../../support/kube-api/kubelet/back-off.js';
import { parseQuantity } from '../../support/kube-api/kubelet/container-config.js';
import { expand } from '../../support/kube-api/kubelet/env-vars.js';
import {
  isLocalRegistry,
  parseImageReference,
} from '../../support/kube-api/kubelet/image-reference.js';
import { qosClass } from '../../support/kube-api/kubelet/pod-status.js';
import type { KubeObject } from '../../support/kube-api/objects.js';

describe('the kubelet of the Kubernetes double, its pure parts', () => {
  it.each([
    ['nginx', { registry: 'docker.io', repository: 'library/nginx', suffix: ':latest' }],
    ['team/web:1.0', { registry: 'docker.io', repository: 'team/web', suffix: ':1.0' }],
    [
      '127.0.0.1:5000/e2e-1/tiny:src-abc',
      { registry: '127.0.0.1:5000', repository: 'e2e-1/tiny', suffix: ':src-abc' },
    ],
    ['localhost:5000/web', { registry: 'localhost:5000', repository: 'web', suffix: ':latest' }],
    [
      `registry.local/web@sha256:${'a'.repeat(64)}`,
      { registry: 'registry.local', repository: 'web', suffix: `@sha256:${'a'.repeat(64)}` },
    ],
  ])('reads the image reference %s as Docker does', (image, expected) => {
    expect(parseImageReference(image)).toEqual(expected);
  });

  it.each(['Web:1', 'web:', 'web:-1', 'web@sha256:short', '/web'])(
    'refuses %s (InvalidImageName)',
    (image) => {
      expect(parseImageReference(image)).toBeUndefined();
    },
  );

  it('contacts only registries on this machine', () => {
    expect(['127.0.0.1:5000', 'localhost:1234', 'localhost'].map(isLocalRegistry)).toEqual([
      true,
      true,
      true,
    ]);
    expect(
      ['docker.io', 'registry.local', '127.0.0.2:5000', '10.0.0.1:5000'].map(isLocalRegistry),
    ).toEqual([false, false, false, false]);
  });

  it('doubles its back-off up to the ceiling, and prints it as the kubelet does', () => {
    const backOff = new BackOff(10_000, 300_000);
    const delays = Array.from({ length: 7 }, () => backOff.next());
    expect(delays.map(formatDuration)).toEqual([
      '10s',
      '20s',
      '40s',
      '1m20s',
      '2m40s',
      '5m0s',
      '5m0s',
    ]);
    backOff.reset();
    expect(backOff.next()).toBe(10_000);
  });

  it('expands $(VAR) references in commands, args and env, $$ escaping', () => {
    const vars = new Map([['PORT', '5000']]);
    expect(expand('--port=$(PORT) $(MISSING) $$(PORT)', vars)).toBe(
      '--port=5000 $(MISSING) $(PORT)',
    );
  });

  it('reads resource quantities', () => {
    expect([
      parseQuantity('128Mi'),
      parseQuantity('500m'),
      parseQuantity('1'),
      parseQuantity('1G'),
    ]).toEqual([134_217_728, 0.5, 1, 1e9]);
    expect(parseQuantity('lots')).toBeUndefined();
  });

  it('gives a pod its QoS class from its containers resources', () => {
    const pod = (resources: object): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {},
      spec: { containers: [{ name: 'main', image: 'x', resources: resources as never }] },
    });
    expect(qosClass(pod({}))).toBe('BestEffort');
    expect(qosClass(pod({ requests: { cpu: '50m' }, limits: { memory: '128Mi' } }))).toBe(
      'Burstable',
    );
    expect(qosClass(pod({ limits: { cpu: '1', memory: '1Gi' } }))).toBe('Guaranteed');
  });
});
