import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  LoadBalancerIpAllocator,
  ClusterIpAllocator,
  NodePortAllocator,
  PodIpAllocator,
} from './allocators.js';
import { KubeApi } from './api.js';
import { DEFAULT_NODES, seedCluster, type SeedNode } from './cluster-seed.js';
import { DeploymentController } from './controllers/deployment-controller.js';
import { GarbageCollector } from './controllers/garbage-collector.js';
import { NamespaceController } from './controllers/namespace-controller.js';
import { ReplicaSetController } from './controllers/replicaset-controller.js';
import { ControllerRuntime } from './controllers/runtime.js';
import { ServiceController } from './controllers/service-controller.js';
import { DEFAULT_SIMULATION } from './controllers/simulation-settings.js';
import { createHandler, type RequestRecord, type UnhandledRequest } from './http-handler.js';
import { defaultDockerHost } from './kubelet/docker-host.js';
import { ClusterNetwork, type HostTarget } from './kubelet/cluster-network.js';
import { DockerKubelet } from './kubelet/docker-kubelet.js';
import { DEFAULT_KUBELET_TIMING, type KubeletSettings } from './kubelet/kubelet-settings.js';
import { writeKubeconfig } from './kubeconfig.js';
import { listeningPorts } from './proxy/listening-ports.js';
import { NodePortProxy } from './proxy/node-port-proxy.js';
import { ObjectStore } from './store.js';

export interface KubeApiDoubleOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The bearer token the kubeconfig carries; random by default. */
  token?: string;
  /** The context (and cluster) name in the kubeconfig. */
  contextName?: string;
  /** Where to write kubeconfig; a fresh temporary directory by default. */
  kubeconfigDir?: string;
  kubernetesVersion?: string;
  nodes?: readonly SeedNode[];
  /** The Docker Engine the kubelet runs pods in; the test run's, else DOCKER_HOST, by default. */
  dockerHost?: string;
  /** First back-off after a failed pull or a repeated crash (10 s, as the kubelet's); it doubles. */
  backOffMs?: number;
  /** The back-off's ceiling (5 minutes, as the kubelet's). */
  maxBackOffMs?: number;
  /** Multiplies probes' initialDelaySeconds and periodSeconds; 1 (the default) is real time. */
  probeTimeScale?: number;
  loadBalancerDelayMs?: number;
  /** How often a watch with allowWatchBookmarks gets a BOOKMARK. */
  bookmarkIntervalMs?: number;
  /** How many events stay available to resume a watch from an older resourceVersion. */
  watchHistoryLimit?: number;
  /**
   * Gives pods a network (kubelet/cluster-network.ts): their pod IPs answer inside a namespace the
   * double creates, and `network.expose` lets pods reach a service of this machine. Needs root.
   * Off by default: pods then have loopback only.
   */
  podNetwork?: boolean;
  /** Where loud failures go: unhandled requests and controller errors. Defaults to stderr. */
  log?: (line: string) => void;
}

export interface KubeApiDouble {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  token: string;
  contextName: string;
  kubeconfigPath: string;
  /** The API semantics, for tests that set up or inspect objects without HTTP. */
  api: KubeApi;
  store: ObjectStore;
  /** Every request seen, in order. */
  requests: RequestRecord[];
  /** Requests the double does not implement; a healthy test run leaves this empty. */
  unhandled: UnhandledRequest[];
  /** The pod network, with `podNetwork: true`. */
  network: PodNetwork | undefined;
  /** Stops serving and removes every container the kubelet started. */
  stop(): Promise<void>;
}

/** What a test does with the pod network: make a service of this machine reachable from pods. */
export interface PodNetwork {
  /** Pods reach `target` at 10.244.0.1:`port`. */
  expose(port: number, target: HostTarget): Promise<{ host: string; port: number }>;
}

/** Starts a Kubernetes API double on 127.0.0.1 with simulated controllers, nodes and a kubeconfig. */
export async function startKubeApiDouble(
  options: KubeApiDoubleOptions = {},
): Promise<KubeApiDouble> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const kubernetesVersion = options.kubernetesVersion ?? 'v1.35.0';
  const token = options.token ?? randomBytes(24).toString('hex');
  const contextName = options.contextName ?? 'kube-api-double';
  const store = new ObjectStore({ historyLimit: options.watchHistoryLimit ?? 5000 });
  const allocators = {
    clusterIps: new ClusterIpAllocator(),
    nodePorts: new NodePortAllocator(randomBytes(2).readUInt16BE(), listeningPorts),
  };
  const api = new KubeApi({ store, allocators });
  const kubeletSettings: KubeletSettings = {
    dockerHost: options.dockerHost ?? defaultDockerHost(),
    backOffMs: options.backOffMs ?? DEFAULT_KUBELET_TIMING.backOffMs,
    maxBackOffMs: options.maxBackOffMs ?? DEFAULT_KUBELET_TIMING.maxBackOffMs,
    backOffResetMs: DEFAULT_KUBELET_TIMING.backOffResetMs,
    probeTimeScale: options.probeTimeScale ?? DEFAULT_KUBELET_TIMING.probeTimeScale,
  };
  const simulation = {
    loadBalancerDelayMs: options.loadBalancerDelayMs ?? DEFAULT_SIMULATION.loadBalancerDelayMs,
  };

  const runtime = new ControllerRuntime(api, log);
  const network = options.podNetwork === true ? await ClusterNetwork.create() : undefined;
  const kubelet = new DockerKubelet(runtime, kubeletSettings, new PodIpAllocator(), network);
  await kubelet.start().catch(async (error: unknown) => {
    await network?.remove();
    throw error;
  });
  const proxy = new NodePortProxy(runtime, (uid) => kubelet.socketFor(uid));
  const controllers = [
    new NamespaceController(runtime),
    new GarbageCollector(runtime),
    new DeploymentController(runtime),
    new ReplicaSetController(runtime),
    kubelet,
    new ServiceController(runtime, simulation, new LoadBalancerIpAllocator()),
    proxy,
  ];
  const unsubscribe = store.subscribe((event) => {
    for (const controller of controllers) controller.onEvent(event);
  });
  seedCluster(api, options.nodes ?? DEFAULT_NODES, kubernetesVersion);

  const requests: RequestRecord[] = [];
  const unhandled: UnhandledRequest[] = [];
  const watches = new Set<() => void>();
  let address = '127.0.0.1:0';
  const server: Server = createServer(
    createHandler({
      api,
      token,
      kubernetesVersion,
      serverAddress: () => address,
      bookmarkIntervalMs: options.bookmarkIntervalMs ?? 10_000,
      defaultWatchTimeoutSeconds: 1800,
      requests,
      unhandled,
      log,
      watches,
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  address = `127.0.0.1:${port}`;
  const url = `http://${address}`;
  const ownDir = options.kubeconfigDir === undefined;
  const dir = options.kubeconfigDir ?? mkdtempSync(join(tmpdir(), 'kube-api-double-'));
  const kubeconfigPath = join(dir, `kubeconfig-${port}.yaml`);
  writeKubeconfig(kubeconfigPath, { server: url, token, contextName });

  return {
    url,
    port,
    token,
    contextName,
    kubeconfigPath,
    api,
    store,
    requests,
    unhandled,
    network,
    async stop() {
      runtime.stop();
      unsubscribe();
      await Promise.all([kubelet.stop(), proxy.stop()]);
      await network?.remove();
      for (const finish of [...watches]) finish();
      server.closeAllConnections();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
