import { displayLength, truncate, type Inline } from '../ports/chat-message.js';
import type { PodSummary, ServiceAddress } from '../ports/cluster.js';
import { bold, code, emoji, joined, text } from './inline.js';

/** One service in one environment, as the bot or the worker found it in the cluster. */
export interface ServiceStatus {
  service: string;
  release: string;
  environment: string;
  namespace: string;
  pods: PodSummary[];
  address?: ServiceAddress;
  /** Why its pods could not be read; shown instead of them. */
  error?: string;
}

/** Longest shown name (pod, node, service, environment, reason) and address. */
const NAME_LIMIT = 100;
const ADDRESS_LIMIT = 200;
const ERROR_LIMIT = 1500;
export function shown(value: string, limit = NAME_LIMIT): string {
  return truncate(value, limit);
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** 1 pod with a problem, 3 pods with problems. */
export function withProblems(count: number): string {
  return `${plural(count, 'pod')} with ${count === 1 ? 'a problem' : 'problems'}`;
}

/** kubectl-style age: 45s, 3m, 2h, 5d, 3y. */
export function formatAge(createdAt: Date, now: Date): string {
  const seconds = Math.max(0, Math.floor((now.getTime() - createdAt.getTime()) / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (days < 730) return `${days}d`;
  return `${Math.floor(days / 365)}y`;
}

function isReady(pod: PodSummary): boolean {
  return (
    pod.terminating !== true &&
    pod.totalContainers > 0 &&
    pod.readyContainers === pod.totalContainers
  );
}

/** Problems first, then pods not ready, then ready ones, terminating last; by name within. */
function rank(pod: PodSummary): number {
  if (pod.problem !== undefined) return 0;
  if (pod.terminating === true) return 3;
  return isReady(pod) ? 2 : 1;
}

export function byAttention(a: PodSummary, b: PodSummary): number {
  return rank(a) - rank(b) || a.name.localeCompare(b.name);
}

interface Counts {
  pods: number;
  ready: number;
  problems: number;
  terminating: number;
}

export function countPods(pods: readonly PodSummary[]): Counts {
  const live = pods.filter((pod) => pod.terminating !== true);
  return {
    pods: live.length,
    ready: live.filter(isReady).length,
    problems: pods.filter((pod) => pod.problem !== undefined).length,
    terminating: pods.length - live.length,
  };
}

function addressText(address: ServiceAddress): Inline[] {
  const url = shown(address.url, ADDRESS_LIMIT);
  return [text(address.kind === 'cluster-ip' ? `${url} (cluster-internal)` : url)];
}

export function headLine(status: ServiceStatus, budget: number): Inline[] {
  const name = [bold(shown(status.service)), text(` · ${shown(status.environment)}`)];
  if (status.error !== undefined) {
    const room = Math.max(20, Math.min(ERROR_LIMIT, budget - displayLength(name) - 20));
    return [...name, text(' · '), emoji('x'), text(` ${truncate(status.error, room)}`)];
  }
  const parts: Inline[][] = [name];
  if (status.pods.length === 0) {
    parts.push([text('no pods (is it deployed?)')]);
  } else {
    const counts = countPods(status.pods);
    parts.push([text(`${counts.ready}/${plural(counts.pods, 'pod')} ready`)]);
    if (counts.terminating > 0) parts.push([text(`${counts.terminating} terminating`)]);
    if (counts.problems > 0)
      parts.push([emoji('warning'), text(` ${withProblems(counts.problems)}`)]);
  }
  if (status.address !== undefined) parts.push(addressText(status.address));
  return joined(parts, ' · ');
}

export function podLine(pod: PodSummary, now: Date): Inline[] {
  const parts: Inline[][] = [
    [
      text('• '),
      code(shown(pod.name), NAME_LIMIT),
      text(` ${pod.readyContainers}/${pod.totalContainers}`),
    ],
    [text(pod.terminating === true ? 'Terminating' : shown(pod.phase))],
    [text(plural(pod.restarts, 'restart'))],
  ];
  if (pod.createdAt !== undefined) parts.push([text(formatAge(pod.createdAt, now))]);
  parts.push([text(pod.node === undefined ? 'not scheduled' : shown(pod.node))]);
  if (pod.problem !== undefined) parts.push([emoji('warning'), text(` ${shown(pod.problem)}`)]);
  return joined(parts, ' · ');
}

export function morePodsLine(hidden: readonly PodSummary[]): string {
  const problems = hidden.filter((pod) => pod.problem !== undefined).length;
  const note = problems > 0 ? ` (${withProblems(problems)})` : '';
  return `…and ${hidden.length} more ${hidden.length === 1 ? 'pod' : 'pods'}${note}`;
}
