import { ApiError } from './api-error.js';

/** Hands out ClusterIPs from 10.96.0.0/12 (data only: nothing is ever sent to them). */
export class ClusterIpAllocator {
  private readonly used = new Set<string>(['10.96.0.1']);
  private next = 10;

  allocate(): string {
    for (;;) {
      const offset = this.next;
      this.next += 1;
      const ip = `10.${96 + Math.floor(offset / 65536)}.${Math.floor(offset / 256) % 256}.${offset % 256}`;
      if (offset % 256 !== 0 && offset % 256 !== 255 && !this.used.has(ip)) {
        this.used.add(ip);
        return ip;
      }
    }
  }

  reserve(ip: string): void {
    this.used.add(ip);
  }

  release(ip: string): void {
    this.used.delete(ip);
  }
}

export const NODE_PORT_RANGE = { first: 30000, last: 32767 } as const;

/**
 * Hands out node ports in 30000-32767 and rejects a port that is taken, as the API server does.
 * `busy` names ports that something else on this machine holds, which the double's kube-proxy
 * could not listen on: they are skipped when choosing.
 */
export class NodePortAllocator {
  private readonly used = new Set<number>();
  private cursor: number;

  constructor(
    seed: number,
    private readonly busy: () => ReadonlySet<number> = () => new Set(),
  ) {
    this.cursor =
      NODE_PORT_RANGE.first + (seed % (NODE_PORT_RANGE.last - NODE_PORT_RANGE.first + 1));
  }

  allocate(): number {
    const size = NODE_PORT_RANGE.last - NODE_PORT_RANGE.first + 1;
    const busy = this.busy();
    for (let attempt = 0; attempt < size; attempt += 1) {
      const port =
        NODE_PORT_RANGE.first + ((this.cursor - NODE_PORT_RANGE.first + attempt * 7919) % size);
      if (!this.used.has(port) && !busy.has(port)) {
        this.used.add(port);
        this.cursor = port + 1;
        return port;
      }
    }
    throw new ApiError(500, 'InternalError', 'range is full');
  }

  isUsed(port: number): boolean {
    return this.used.has(port);
  }

  reserve(port: number): void {
    this.used.add(port);
  }

  release(port: number): void {
    this.used.delete(port);
  }
}

/** Hands out LoadBalancer ingress IPs from 203.0.113.0/24 (TEST-NET-3: documentation only, never contacted). */
export class LoadBalancerIpAllocator {
  private next = 10;
  private readonly used = new Set<string>();

  allocate(): string {
    for (let attempt = 0; attempt < 240; attempt += 1) {
      const ip = `203.0.113.${this.next}`;
      this.next = this.next >= 250 ? 10 : this.next + 1;
      if (!this.used.has(ip)) {
        this.used.add(ip);
        return ip;
      }
    }
    throw new Error('the double ran out of LoadBalancer addresses');
  }

  release(ip: string): void {
    this.used.delete(ip);
  }
}

/** Pod IPs from 10.244.0.0/16, one /24 per node, as a CNI hands them out (data only). */
export class PodIpAllocator {
  private readonly next = new Map<number, number>();

  allocate(nodeIndex: number): string {
    const host = this.next.get(nodeIndex) ?? 2;
    this.next.set(nodeIndex, host >= 254 ? 2 : host + 1);
    return `10.244.${nodeIndex}.${host}`;
  }
}
