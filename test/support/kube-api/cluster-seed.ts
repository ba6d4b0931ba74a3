import type { KubeApi } from './api.js';
import { NAMESPACES, NODES, SERVICES } from './controllers/kinds.js';
import type { JsonObject } from './json.js';

export interface SeedNode {
  name: string;
  internalIp: string;
  externalIp: string;
}

/**
 * Both nodes are this machine: their pods run in its Docker Engine and their node ports listen on
 * 127.0.0.1, so that is the address they report, and what a NodePort Service is reached at.
 */
export const DEFAULT_NODES: readonly SeedNode[] = [
  { name: 'double-node-1', internalIp: '127.0.0.1', externalIp: '127.0.0.1' },
  { name: 'double-node-2', internalIp: '127.0.0.1', externalIp: '127.0.0.1' },
];

const SYSTEM = { fieldManager: 'kube-apiserver', dryRun: false } as const;

function nodeObject(
  node: SeedNode,
  index: number,
  kubernetesVersion: string,
  now: string,
): JsonObject {
  const condition = (
    type: string,
    status: string,
    reason: string,
    message: string,
  ): JsonObject => ({
    type,
    status,
    lastHeartbeatTime: now,
    lastTransitionTime: now,
    reason,
    message,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      labels: {
        'kubernetes.io/hostname': node.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'node.kubernetes.io/instance-type': 'double',
      },
    },
    spec: {
      podCIDR: `10.244.${index + 1}.0/24`,
      podCIDRs: [`10.244.${index + 1}.0/24`],
      providerID: `double://${node.name}`,
    },
    status: {
      addresses: [
        { type: 'InternalIP', address: node.internalIp },
        { type: 'ExternalIP', address: node.externalIp },
        { type: 'Hostname', address: node.name },
      ],
      capacity: { cpu: '4', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi' },
      allocatable: { cpu: '4', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi' },
      conditions: [
        condition(
          'MemoryPressure',
          'False',
          'KubeletHasSufficientMemory',
          'kubelet has sufficient memory available',
        ),
        condition(
          'DiskPressure',
          'False',
          'KubeletHasNoDiskPressure',
          'kubelet has no disk pressure',
        ),
        condition(
          'PIDPressure',
          'False',
          'KubeletHasSufficientPID',
          'kubelet has sufficient PID available',
        ),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: 'amd64',
        operatingSystem: 'linux',
        osImage: 'Debian GNU/Linux (kube-api double)',
        kernelVersion: '6.1.0',
        containerRuntimeVersion: 'containerd://2.0.0',
        kubeletVersion: kubernetesVersion,
        kubeProxyVersion: kubernetesVersion,
        machineID: '',
        systemUUID: '',
        bootID: '',
      },
    },
  };
}

/** What a fresh cluster has: the system namespaces, the `kubernetes` Service and the nodes. */
export function seedCluster(
  api: KubeApi,
  nodes: readonly SeedNode[],
  kubernetesVersion: string,
): void {
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    api.create(NAMESPACES, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, SYSTEM);
  }
  nodes.forEach((node, index) => {
    api.create(NODES, '', nodeObject(node, index, kubernetesVersion, api.now()), SYSTEM);
  });
  api.create(
    SERVICES,
    'default',
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: {
        clusterIP: '10.96.0.1',
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
      },
    },
    SYSTEM,
  );
}
