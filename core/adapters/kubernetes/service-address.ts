import type { V1Ingress, V1Node, V1Service, V1ServicePort } from '@kubernetes/client-node';
import type { ServiceAddress } from '../../ports/cluster.js';

/** What a release's address is chosen from: its Services and Ingresses, and the cluster's nodes. */
export interface AddressSources {
  services: readonly V1Service[];
  ingresses: readonly V1Ingress[];
  /** Needed only when a Service has node ports (see `needsNodes`). */
  nodes?: readonly V1Node[];
  /** Nodes that run the release's pods; preferred for `externalTrafficPolicy: Local`. */
  podNodes?: ReadonlySet<string>;
}

/** The port people use: the one named http, else https, else the first. */
function mainPort(service: V1Service): V1ServicePort | undefined {
  const ports = service.spec?.ports ?? [];
  return (
    ports.find((port) => port.name === 'http') ??
    ports.find((port) => port.name === 'https') ??
    ports[0]
  );
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** http://host:port, https for 443 or a port named https, default ports left out. */
export function addressUrl(host: string, port: number, portName?: string): string {
  const secure = port === 443 || portName === 'https';
  const scheme = secure ? 'https' : 'http';
  const defaultPort = secure ? 443 : 80;
  return `${scheme}://${hostForUrl(host)}${port === defaultPort ? '' : `:${port}`}`;
}

function loadBalancerAddress(services: readonly V1Service[]): ServiceAddress | undefined {
  for (const service of services) {
    if (service.spec?.type !== 'LoadBalancer') continue;
    const port = mainPort(service);
    if (port === undefined) continue;
    for (const ingress of service.status?.loadBalancer?.ingress ?? []) {
      const host = ingress.ip ?? ingress.hostname;
      if (host === undefined || host === '') continue;
      return {
        kind: 'load-balancer',
        host,
        port: port.port,
        url: addressUrl(host, port.port, port.name),
      };
    }
  }
  return undefined;
}

interface NodePortChoice {
  nodePort: number;
  portName?: string;
  localOnly: boolean;
}

/** A NodePort Service, or a LoadBalancer one still waiting for its IP, has node ports. */
function nodePortChoice(services: readonly V1Service[]): NodePortChoice | undefined {
  for (const service of services) {
    const type = service.spec?.type;
    if (type !== 'NodePort' && type !== 'LoadBalancer') continue;
    const port = mainPort(service);
    if (port?.nodePort === undefined || port.nodePort === 0) continue;
    const choice: NodePortChoice = {
      nodePort: port.nodePort,
      localOnly: service.spec?.externalTrafficPolicy === 'Local',
    };
    if (port.name !== undefined) choice.portName = port.name;
    return choice;
  }
  return undefined;
}

/** Whether `chooseAddress` may need the cluster's nodes, and which nodes run the pods. */
export function needsNodes(services: readonly V1Service[]): { nodes: boolean; podNodes: boolean } {
  if (loadBalancerAddress(services) !== undefined) return { nodes: false, podNodes: false };
  const choice = nodePortChoice(services);
  return { nodes: choice !== undefined, podNodes: choice?.localOnly ?? false };
}

function nodeAddress(node: V1Node, type: 'ExternalIP' | 'InternalIP'): string | undefined {
  const found = node.status?.addresses?.find((address) => address.type === type)?.address;
  return found === '' ? undefined : found;
}

function isReady(node: V1Node): boolean {
  return (
    node.status?.conditions?.some(
      (condition) => condition.type === 'Ready' && condition.status === 'True',
    ) ?? false
  );
}

/**
 * The node to send people to: one running the pods when traffic stays local, a Ready one, one
 * with an ExternalIP; its ExternalIP, else its InternalIP.
 */
export function chooseNodeHost(
  nodes: readonly V1Node[],
  podNodes: ReadonlySet<string> = new Set(),
): string | undefined {
  let best: { score: number; host: string } | undefined;
  for (const node of nodes) {
    const external = nodeAddress(node, 'ExternalIP');
    const host = external ?? nodeAddress(node, 'InternalIP');
    if (host === undefined) continue;
    const score =
      (podNodes.has(node.metadata?.name ?? '') ? 4 : 0) +
      (isReady(node) ? 2 : 0) +
      (external === undefined ? 0 : 1);
    if (best === undefined || score > best.score) best = { score, host };
  }
  return best?.host;
}

function nodePortAddress(sources: AddressSources): ServiceAddress | undefined {
  const choice = nodePortChoice(sources.services);
  if (choice === undefined) return undefined;
  const host = chooseNodeHost(sources.nodes ?? [], choice.localOnly ? sources.podNodes : undefined);
  if (host === undefined) return undefined;
  return {
    kind: 'node-port',
    host,
    port: choice.nodePort,
    url: addressUrl(host, choice.nodePort, choice.portName),
  };
}

function ingressAddress(ingresses: readonly V1Ingress[]): ServiceAddress | undefined {
  for (const ingress of ingresses) {
    const tlsHosts = new Set((ingress.spec?.tls ?? []).flatMap((tls) => tls.hosts ?? []));
    for (const rule of ingress.spec?.rules ?? []) {
      const host = rule.host;
      // A wildcard host is a pattern, not somewhere to go.
      if (host === undefined || host === '' || host.startsWith('*')) continue;
      const path = rule.http?.paths[0]?.path;
      const suffix = path === undefined || path === '/' || !path.startsWith('/') ? '' : path;
      const scheme = tlsHosts.has(host) ? 'https' : 'http';
      return { kind: 'ingress', host, url: `${scheme}://${host}${suffix}` };
    }
    // No host rule: the Ingress is reached at its load balancer's address.
    for (const entry of ingress.status?.loadBalancer?.ingress ?? []) {
      const host = entry.ip ?? entry.hostname;
      if (host === undefined || host === '') continue;
      const scheme = tlsHosts.size > 0 ? 'https' : 'http';
      return { kind: 'ingress', host, url: `${scheme}://${hostForUrl(host)}` };
    }
  }
  return undefined;
}

function clusterIpAddress(services: readonly V1Service[]): ServiceAddress | undefined {
  for (const service of services) {
    const host = service.spec?.clusterIP;
    // Headless Services (None) and ExternalName ones have no virtual IP.
    if (host === undefined || host === '' || host === 'None') continue;
    const port = mainPort(service);
    if (port === undefined) continue;
    return {
      kind: 'cluster-ip',
      host,
      port: port.port,
      url: addressUrl(host, port.port, port.name),
      internal: true,
    };
  }
  return undefined;
}

/**
 * A release's address, in the order people can use it: a LoadBalancer's ingress IP or hostname,
 * a node port on a node's ExternalIP (else InternalIP), an Ingress host, the ClusterIP.
 */
export function chooseAddress(sources: AddressSources): ServiceAddress | undefined {
  return (
    loadBalancerAddress(sources.services) ??
    nodePortAddress(sources) ??
    ingressAddress(sources.ingresses) ??
    clusterIpAddress(sources.services)
  );
}
