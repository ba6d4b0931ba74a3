import { loadYaml, type V1Ingress, type V1Node, type V1Service } from '@kubernetes/client-node';
import {
  addressUrl,
  chooseAddress,
  chooseNodeHost,
  needsNodes,
} from '../../../core/adapters/kubernetes/service-address.js';

type Json = Record<string, unknown>;

/** An object as the API sends it, for client-node's own deserializer (loadYaml). */
function fromApi(kind: string, apiVersion: string, json: Json): string {
  return JSON.stringify({ apiVersion, kind, ...json });
}

interface ServiceShape {
  nodePort?: number;
  lb?: { ip?: string; hostname?: string }[];
  local?: boolean;
  clusterIP?: string;
  ports?: Json[];
}

function service(type: string, extra: ServiceShape = {}): V1Service {
  const http: Json = { name: 'http', port: 5000 };
  if (extra.nodePort !== undefined) http.nodePort = extra.nodePort;
  return loadYaml<V1Service>(
    fromApi('Service', 'v1', {
      metadata: { name: `web-${type.toLowerCase()}` },
      spec: {
        type,
        clusterIP: extra.clusterIP ?? '10.96.0.20',
        ports: extra.ports ?? [{ name: 'metrics', port: 9100 }, http],
        ...(extra.local === true ? { externalTrafficPolicy: 'Local' } : {}),
      },
      status: { loadBalancer: extra.lb === undefined ? {} : { ingress: extra.lb } },
    }),
  );
}

function node(
  name: string,
  addresses: { external?: string; internal?: string },
  ready = true,
): V1Node {
  const list: Json[] = [];
  if (addresses.internal !== undefined)
    list.push({ type: 'InternalIP', address: addresses.internal });
  if (addresses.external !== undefined)
    list.push({ type: 'ExternalIP', address: addresses.external });
  list.push({ type: 'Hostname', address: name });
  return loadYaml<V1Node>(
    fromApi('Node', 'v1', {
      metadata: { name },
      status: {
        addresses: list,
        conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      },
    }),
  );
}

function ingress(
  host: string | undefined,
  extra: { path?: string; tls?: boolean; lb?: string } = {},
): V1Ingress {
  const backend = { service: { name: 'web', port: { number: 5000 } } };
  const rule: Json = {
    http: { paths: [{ path: extra.path ?? '/', pathType: 'Prefix', backend }] },
  };
  if (host !== undefined) rule.host = host;
  return loadYaml<V1Ingress>(
    fromApi('Ingress', 'networking.k8s.io/v1', {
      metadata: { name: 'gateway-ingress' },
      spec: {
        rules: [rule],
        ...(extra.tls === true && host !== undefined ? { tls: [{ hosts: [host] }] } : {}),
      },
      status: { loadBalancer: extra.lb === undefined ? {} : { ingress: [{ ip: extra.lb }] } },
    }),
  );
}

const nodes = [
  node('node-1', { internal: '192.0.2.11', external: '198.51.100.11' }),
  node('node-2', { internal: '192.0.2.12', external: '198.51.100.12' }),
];

describe('chooseAddress: what people can use first', () => {
  it('takes a LoadBalancer ingress IP, on the http port', () => {
    expect(
      chooseAddress({
        services: [service('LoadBalancer', { nodePort: 31000, lb: [{ ip: '203.0.113.5' }] })],
        ingresses: [ingress('hello.local')],
        nodes,
      }),
    ).toEqual({
      kind: 'load-balancer',
      host: '203.0.113.5',
      port: 5000,
      url: 'http://203.0.113.5:5000',
    });
  });

  it('takes a LoadBalancer hostname, leaving out a default port', () => {
    const lb = service('LoadBalancer', {
      lb: [{ hostname: 'abc.elb.example' }],
      ports: [{ port: 80 }],
    });
    expect(chooseAddress({ services: [lb], ingresses: [] })).toEqual({
      kind: 'load-balancer',
      host: 'abc.elb.example',
      port: 80,
      url: 'http://abc.elb.example',
    });
  });

  it('falls back to the node port while the load balancer is pending', () => {
    expect(
      chooseAddress({
        services: [service('LoadBalancer', { nodePort: 31000 })],
        ingresses: [],
        nodes,
      }),
    ).toEqual({
      kind: 'node-port',
      host: '198.51.100.11',
      port: 31000,
      url: 'http://198.51.100.11:31000',
    });
  });

  it("takes a NodePort on a node's ExternalIP before an Ingress", () => {
    expect(
      chooseAddress({
        services: [service('NodePort', { nodePort: 31234 })],
        ingresses: [ingress('hello.local')],
        nodes,
      }),
    ).toMatchObject({ kind: 'node-port', host: '198.51.100.11', port: 31234 });
  });

  it('uses an InternalIP when no node has an ExternalIP', () => {
    expect(
      chooseAddress({
        services: [service('NodePort', { nodePort: 31234 })],
        ingresses: [],
        nodes: [node('node-1', { internal: '192.0.2.11' })],
      }),
    ).toEqual({
      kind: 'node-port',
      host: '192.0.2.11',
      port: 31234,
      url: 'http://192.0.2.11:31234',
    });
  });

  it('takes the Ingress host for a ClusterIP service, https when TLS covers it, with its path', () => {
    expect(
      chooseAddress({ services: [service('ClusterIP')], ingresses: [ingress('hello.local')] }),
    ).toEqual({ kind: 'ingress', host: 'hello.local', url: 'http://hello.local' });
    expect(
      chooseAddress({
        services: [service('ClusterIP')],
        ingresses: [ingress('hello.example', { tls: true, path: '/api' })],
      }),
    ).toEqual({ kind: 'ingress', host: 'hello.example', url: 'https://hello.example/api' });
  });

  it("uses an Ingress's load balancer address when it has no host, and skips wildcards", () => {
    expect(
      chooseAddress({
        services: [],
        ingresses: [ingress('*.example.com'), ingress(undefined, { lb: '203.0.113.9' })],
      }),
    ).toEqual({ kind: 'ingress', host: '203.0.113.9', url: 'http://203.0.113.9' });
  });

  it('ends with the ClusterIP, marked internal', () => {
    expect(chooseAddress({ services: [service('ClusterIP')], ingresses: [] })).toEqual({
      kind: 'cluster-ip',
      host: '10.96.0.20',
      port: 5000,
      url: 'http://10.96.0.20:5000',
      internal: true,
    });
  });

  it('has nothing for no Service, a headless one, or a NodePort without nodes', () => {
    expect(chooseAddress({ services: [], ingresses: [] })).toBeUndefined();
    const headless = service('ClusterIP', { clusterIP: 'None' });
    expect(chooseAddress({ services: [headless], ingresses: [] })).toBeUndefined();
    expect(
      chooseAddress({
        services: [service('NodePort', { nodePort: 30001 })],
        ingresses: [],
        nodes: [],
      }),
    ).toMatchObject({ kind: 'cluster-ip' });
  });
});

describe('chooseNodeHost', () => {
  it('prefers a Ready node, then one with an ExternalIP', () => {
    expect(
      chooseNodeHost([
        node('down', { external: '198.51.100.1' }, false),
        node('internal-only', { internal: '192.0.2.2' }),
        node('up', { internal: '192.0.2.3', external: '198.51.100.3' }),
      ]),
    ).toBe('198.51.100.3');
    expect(
      chooseNodeHost([
        node('down', { external: '198.51.100.1' }, false),
        node('internal-only', { internal: '192.0.2.2' }),
      ]),
    ).toBe('192.0.2.2');
  });

  it('prefers a node running the pods when traffic stays on the node (Local)', () => {
    const sources = {
      services: [service('NodePort', { nodePort: 31000, local: true })],
      ingresses: [],
      nodes,
      podNodes: new Set(['node-2']),
    };
    expect(needsNodes(sources.services)).toEqual({ nodes: true, podNodes: true });
    expect(chooseAddress(sources)).toMatchObject({ host: '198.51.100.12' });
  });

  it('asks for nodes only when a node port may be the answer', () => {
    expect(needsNodes([service('ClusterIP')])).toEqual({ nodes: false, podNodes: false });
    expect(needsNodes([service('NodePort', { nodePort: 31000 })])).toEqual({
      nodes: true,
      podNodes: false,
    });
    expect(
      needsNodes([service('LoadBalancer', { nodePort: 31000, lb: [{ ip: '203.0.113.5' }] })]),
    ).toEqual({ nodes: false, podNodes: false });
  });
});

describe('addressUrl', () => {
  it.each([
    ['198.51.100.1', 31234, undefined, 'http://198.51.100.1:31234'],
    ['example.com', 80, undefined, 'http://example.com'],
    ['example.com', 443, undefined, 'https://example.com'],
    ['example.com', 8443, 'https', 'https://example.com:8443'],
    ['2001:db8::1', 5000, 'http', 'http://[2001:db8::1]:5000'],
  ])('%s:%d (%s) is %s', (host, port, name, url) => {
    expect(addressUrl(host, port, name)).toBe(url);
  });
});
