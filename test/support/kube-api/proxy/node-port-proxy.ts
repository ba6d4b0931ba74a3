import { createServer, type Server, type Socket } from 'node:net';
import { ENDPOINTS, PODS, SERVICES } from '../controllers/kinds.js';
import type { ControllerRuntime } from '../controllers/runtime.js';
import { numberAt, objectAt, objectsAt, stringAt, type JsonObject } from '../json.js';
import { connectToPod } from '../kubelet/pod-connection.js';
import type { KubeObject } from '../objects.js';
import type { StoreEvent } from '../store.js';

interface Listener {
  server: Server;
  /** namespace/name of the Service that owns the node port */
  service: string;
}

/** Where a connection goes: a Ready endpoint's pod and the port inside it. */
interface Backend {
  socketPath: string;
  port: number;
}

function targetPortIn(pod: KubeObject | undefined, target: JsonObject[string]): number | undefined {
  if (typeof target === 'number') return target;
  if (typeof target !== 'string') return undefined;
  for (const container of objectsAt(pod, 'spec', 'containers')) {
    const found = objectsAt(container, 'ports').find((port) => port.name === target);
    if (found !== undefined) return numberAt(found, 'containerPort');
  }
  return undefined;
}

/**
 * kube-proxy for node ports: each NodePort (and LoadBalancer) Service's node port listens on
 * 127.0.0.1 and forwards each connection to one Ready endpoint of the Service, into the pod's
 * network namespace through its forwarder. With no Ready endpoint the connection is reset.
 */
export class NodePortProxy {
  private readonly listeners = new Map<number, Listener>();
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly runtime: ControllerRuntime,
    private readonly socketFor: (podUid: string) => string | undefined,
  ) {}

  onEvent(event: StoreEvent): void {
    if (event.resource !== SERVICES) return;
    const service = event.object;
    const key = `${service.metadata.namespace ?? ''}/${service.metadata.name ?? ''}`;
    const wanted = new Set(
      event.type === 'DELETED'
        ? []
        : objectsAt(service, 'spec', 'ports')
            .map((port) => numberAt(port, 'nodePort'))
            .filter((port): port is number => port !== undefined && port > 0),
    );
    for (const [port, listener] of this.listeners) {
      if (listener.service === key && !wanted.has(port)) void this.close(port);
    }
    for (const port of wanted) if (!this.listeners.has(port)) this.listen(port, key);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await Promise.all([...this.listeners.keys()].map((port) => this.close(port)));
  }

  private listen(nodePort: number, service: string): void {
    const server = createServer((client) => {
      this.accept(client, nodePort, service);
    });
    server.on('error', (error) => {
      this.runtime.guard(() => {
        throw new Error(
          `kube-proxy cannot listen on 127.0.0.1:${nodePort} for ${service}: ${error.message}`,
        );
      });
    });
    server.listen(nodePort, '127.0.0.1');
    this.listeners.set(nodePort, { server, service });
  }

  private close(port: number): Promise<void> {
    const listener = this.listeners.get(port);
    this.listeners.delete(port);
    return new Promise((resolve) => {
      if (listener === undefined || !listener.server.listening) {
        resolve();
        return;
      }
      listener.server.close(() => {
        resolve();
      });
    });
  }

  private backend(nodePort: number, service: string): Backend | undefined {
    const { api } = this.runtime;
    const slash = service.indexOf('/');
    const namespace = service.slice(0, slash);
    const name = service.slice(slash + 1);
    const found = api.tryGet(SERVICES, namespace, name);
    const port = objectsAt(found, 'spec', 'ports').find((entry) => entry.nodePort === nodePort);
    if (port === undefined) return undefined;
    const endpoints = api.tryGet(ENDPOINTS, namespace, name);
    const ready = objectsAt(endpoints, 'subsets').flatMap((subset) =>
      objectsAt(subset, 'addresses'),
    );
    const backends = ready.flatMap((address): Backend[] => {
      const ref = objectAt(address, 'targetRef');
      const socketPath = this.socketFor(stringAt(ref, 'uid') ?? '');
      const pod = api.tryGet(PODS, namespace, stringAt(ref, 'name') ?? '');
      const target = targetPortIn(pod, port.targetPort ?? port.port ?? null);
      return socketPath === undefined || target === undefined ? [] : [{ socketPath, port: target }];
    });
    return backends[Math.floor(Math.random() * backends.length)];
  }

  private accept(client: Socket, nodePort: number, service: string): void {
    this.sockets.add(client);
    client.on('close', () => this.sockets.delete(client));
    client.on('error', () => undefined);
    const backend = this.backend(nodePort, service);
    if (backend === undefined) {
      client.resetAndDestroy();
      return;
    }
    client.pause();
    connectToPod(backend.socketPath, backend.port, 5000).then(
      (upstream) => {
        this.sockets.add(upstream);
        upstream.on('close', () => {
          this.sockets.delete(upstream);
          client.destroy();
        });
        upstream.on('error', () => undefined);
        client.on('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
      },
      () => {
        client.resetAndDestroy();
      },
    );
  }
}
