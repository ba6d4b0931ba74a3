import type Docker from 'dockerode';
import type { KubeApi } from '../api.js';
import type { KubeObject } from '../objects.js';
import type { ImagePuller } from './image-puller.js';
import type { KubeletSettings } from './kubelet-settings.js';
import type { Sandbox } from './sandbox.js';

/** What one container's runner needs from its pod's worker. */
export interface PodContext {
  docker: Docker;
  api: KubeApi;
  puller: ImagePuller;
  settings: KubeletSettings;
  /** The pod as it was when the kubelet started it (a pod's spec does not change). */
  pod: KubeObject;
  /** Aborted when the pod is being stopped. */
  signal: AbortSignal;
  /** Labels for every container of this pod. */
  labels: Record<string, string>;
  /** A directory of the node for this pod's configMap and secret volume files. */
  volumeRoot: string;
  /** The pod's sandbox, created on first use. */
  sandbox(): Promise<Sandbox>;
  podIp(): string;
  hostIp(): string;
  event(type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** Something in a container's status changed: the pod's status is to be written. */
  changed(): void;
  /** Containers that exist, so that a stop can remove them whatever state they are in. */
  track(id: string): void;
  untrack(id: string): void;
}

/** Whether the pod is being stopped (a function, so that TypeScript does not narrow it). */
export function stopping(signal: AbortSignal): boolean {
  return signal.aborted;
}

/** A timestamp as the API shows one: RFC 3339, whole seconds. */
export function apiTime(date: Date | string = new Date()): string {
  const parsed = typeof date === 'string' ? new Date(date) : date;
  return parsed.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Waits unless the pod is stopped first; true when the wait ran its course. */
export function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
