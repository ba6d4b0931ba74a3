/**
 * Pods of a release that no kubelet of the Kubernetes double runs: bound to a node whose agent
 * is elsewhere (as a virtual kubelet's pods are), created and marked Running and Ready through
 * the API server, as that agent would. For figures that need more pods than real containers.
 */
import { drive } from './load.js';

type Json = Record<string, unknown>;

/** The node the pods are bound to: not one of the double's own. */
export const VIRTUAL_NODE = 'virtual-node-1';

/** The pod as a Deployment's ReplicaSet would make it, its name and labels those of the release. */
export function virtualPod(release: string, index: number, image: string): Json {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${release}-virtual-${String(index).padStart(5, '0')}`,
      labels: { 'app.kubernetes.io/instance': release, 'app.kubernetes.io/name': release },
    },
    spec: { nodeName: VIRTUAL_NODE, containers: [{ name: release, image }] },
  };
}

/** What its kubelet writes once the container runs and is ready. */
export function runningStatus(release: string, image: string, now: string): Json {
  return {
    phase: 'Running',
    startTime: now,
    conditions: [
      { type: 'PodScheduled', status: 'True' },
      { type: 'Initialized', status: 'True' },
      { type: 'ContainersReady', status: 'True' },
      { type: 'Ready', status: 'True' },
    ],
    containerStatuses: [
      {
        name: release,
        image,
        imageID: '',
        ready: true,
        started: true,
        restartCount: 0,
        state: { running: { startedAt: now } },
      },
    ],
  };
}

/** The double's API, as a client sends it: JSON over HTTP with the kubeconfig's bearer token. */
async function send(api: { url: string; token: string }, method: string, path: string, body: Json) {
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${String(response.status)} ${await response.text()}`);
  return (await response.json()) as Json;
}

/** Creates `count` Running pods of `release` in `namespace` (made first), 20 requests at a time. */
export async function addVirtualPods(input: {
  api: { url: string; token: string };
  namespace: string;
  release: string;
  image: string;
  count: number;
}): Promise<void> {
  const { api, namespace, release, image } = input;
  await send(api, 'POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: namespace },
  });
  const pods = `/api/v1/namespaces/${namespace}/pods`;
  await drive(input.count, 20, async (index) => {
    const created = await send(api, 'POST', pods, virtualPod(release, index, image));
    const name = (created.metadata as { name: string }).name;
    const status = runningStatus(release, image, new Date().toISOString());
    await send(api, 'PUT', `${pods}/${name}/status`, { ...created, status });
  });
}
