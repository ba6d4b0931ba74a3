import { ApiError } from '../api-error.js';
import type { KubeApi } from '../api.js';
import type { KubeObject } from '../objects.js';
import type { ResourceType } from '../resource-types.js';
import type { StoreEvent } from '../store.js';

/** Timers and logging shared by the simulated controllers, so stop() can cancel everything. */
export class ControllerRuntime {
  readonly api: KubeApi;
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  private readonly log: (line: string) => void;

  constructor(api: KubeApi, log: (line: string) => void) {
    this.api = api;
    this.log = log;
  }

  /** Runs `work` after `delayMs` unless the runtime has stopped; errors are logged, never thrown. */
  later(delayMs: number, work: () => void): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.stopped) return;
      this.guard(work);
    }, delayMs);
    this.timers.add(timer);
  }

  guard(work: () => void): void {
    try {
      work();
    } catch (error) {
      if (error instanceof ApiError && (error.code === 404 || error.code === 409)) return;
      this.log(
        `kube-api double controller error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

/** A keyed queue: adding a key that is already waiting does nothing, like client-go's workqueue. */
export class WorkQueue {
  private readonly waiting = new Map<string, number>();

  constructor(
    private readonly runtime: ControllerRuntime,
    private readonly reconcile: (key: string) => void,
  ) {}

  add(key: string, delayMs = 0): void {
    const due = Date.now() + delayMs;
    const existing = this.waiting.get(key);
    if (existing !== undefined && existing <= due) return;
    this.waiting.set(key, due);
    this.runtime.later(delayMs, () => {
      if (this.waiting.get(key) !== due) return;
      this.waiting.delete(key);
      this.reconcile(key);
    });
  }
}

export function keyOf(object: KubeObject): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;
}

export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

export function isType(event: StoreEvent, type: ResourceType): boolean {
  return event.resource === type;
}

export const CONTROLLER_MANAGER = {
  fieldManager: 'kube-controller-manager',
  dryRun: false,
} as const;
