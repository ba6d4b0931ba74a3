import { readFileSync } from 'node:fs';

/** Labels on every container the kubelet starts: which double and which process own it. */
export const LABELS = {
  managed: 'kube-api-double.harbormaster/managed',
  instance: 'kube-api-double.harbormaster/instance',
  ownerPid: 'kube-api-double.harbormaster/owner-pid',
  ownerStart: 'kube-api-double.harbormaster/owner-start',
  role: 'kube-api-double.harbormaster/role',
  podUid: 'io.kubernetes.pod.uid',
  podName: 'io.kubernetes.pod.name',
  podNamespace: 'io.kubernetes.pod.namespace',
  containerName: 'io.kubernetes.container.name',
} as const;

/** A process's start time in clock ticks since boot (field 22 of /proc/PID/stat): pid plus this names one process. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

export function ownerLabels(instance: string): Record<string, string> {
  return {
    [LABELS.managed]: 'true',
    [LABELS.instance]: instance,
    [LABELS.ownerPid]: String(process.pid),
    [LABELS.ownerStart]: processStartTime(process.pid) ?? '',
  };
}

/** Whether the process that labelled a container still runs. */
export function ownerAlive(labels: Record<string, string>): boolean {
  const pid = Number(labels[LABELS.ownerPid]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  const start = processStartTime(pid);
  return start !== undefined && start === labels[LABELS.ownerStart];
}
