import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import type { PodSummary } from '../../ports/cluster.js';

/** Waiting reasons that are a normal step of starting a container, not a problem. */
const STARTING = new Set(['ContainerCreating', 'PodInitializing']);

/** A container's reason worth showing: waiting (not just starting) or terminated unsuccessfully. */
function containerProblem(status: V1ContainerStatus): string | undefined {
  const waiting = status.state?.waiting?.reason;
  if (waiting !== undefined && waiting !== '' && !STARTING.has(waiting)) return waiting;
  const terminated = status.state?.terminated;
  if (terminated !== undefined && terminated.exitCode !== 0) {
    return terminated.reason ?? `exit code ${terminated.exitCode}`;
  }
  // Running again after being killed for memory: worth saying, it will likely happen again.
  if (status.state?.running !== undefined && status.lastState?.terminated?.reason === 'OOMKilled') {
    return 'OOMKilled';
  }
  return undefined;
}

function podProblem(pod: V1Pod): string | undefined {
  for (const status of pod.status?.initContainerStatuses ?? []) {
    const problem = containerProblem(status);
    if (problem !== undefined) return `Init:${problem}`;
  }
  for (const status of pod.status?.containerStatuses ?? []) {
    const problem = containerProblem(status);
    if (problem !== undefined) return problem;
  }
  // The pod's own reason: Evicted, NodeLost, UnexpectedAdmissionError, …
  const reason = pod.status?.reason;
  if (reason !== undefined && reason !== '') return reason;
  const scheduled = pod.status?.conditions?.find((condition) => condition.type === 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') return 'Unschedulable';
  return undefined;
}

/** A V1Pod as `/status` shows it. */
export function podSummary(pod: V1Pod): PodSummary {
  const statuses = pod.status?.containerStatuses ?? [];
  const summary: PodSummary = {
    name: pod.metadata?.name ?? '',
    phase: pod.status?.phase ?? 'Unknown',
    readyContainers: statuses.filter((status) => status.ready).length,
    totalContainers: pod.spec?.containers.length ?? statuses.length,
    restarts: statuses.reduce((sum, status) => sum + status.restartCount, 0),
  };
  const createdAt = pod.metadata?.creationTimestamp;
  if (createdAt !== undefined) summary.createdAt = new Date(createdAt);
  const node = pod.spec?.nodeName;
  if (node !== undefined && node !== '') summary.node = node;
  const problem = podProblem(pod);
  if (problem !== undefined) summary.problem = problem;
  if (pod.metadata?.deletionTimestamp !== undefined) summary.terminating = true;
  return summary;
}
