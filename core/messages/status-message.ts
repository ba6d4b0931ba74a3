import {
  displayLength,
  MESSAGE_LIMITS,
  truncate,
  type Block,
  type ChatMessage,
  type Inline,
  plainText,
} from '../ports/chat-message.js';
import { bold, code, context, emoji, fitted, joined, section, text } from './inline.js';
import {
  byAttention,
  countPods,
  headLine,
  morePodsLine,
  plural,
  podLine,
  shown,
  withProblems,
  type ServiceStatus,
} from './status-lines.js';

export type { ServiceStatus } from './status-lines.js';

export interface StatusMessageInput {
  services: ServiceStatus[];
  /** For the pods' ages. */
  now: Date;
}

/** Pod lines per service at most: a glance, problems first; the rest are counted. */
const MAX_POD_LINES = 20;
/** All block text together stays within what Slack takes as a message's text. */
const TOTAL_BUDGET = MESSAGE_LIMITS.messageText - 2_000;

/** One service's section, within `budget` rendered characters: whole lines only. */
function serviceText(status: ServiceStatus, now: Date, budget: number): Inline[] {
  // Only absurdly long names make the first line longer than the budget; then it is cut.
  const content = fitted(headLine(status, budget), budget);
  if (status.error !== undefined || status.pods.length === 0) return content;
  const pods = [...status.pods].sort(byAttention);
  let used = displayLength(content);
  let listed = 0;
  for (const pod of pods) {
    if (listed === MAX_POD_LINES) break;
    const line = [text('\n'), ...podLine(pod, now)];
    const rest = pods.slice(listed + 1);
    const reserve = rest.length > 0 ? morePodsLine(rest).length + 1 : 0;
    const length = displayLength(line);
    if (used + length + reserve > budget) break;
    content.push(...line);
    used += length;
    listed += 1;
  }
  if (listed < pods.length) content.push(text(`\n${morePodsLine(pods.slice(listed))}`));
  return fitted(content, budget);
}

function hasTrouble(status: ServiceStatus): boolean {
  return status.error !== undefined || status.pods.some((pod) => pod.problem !== undefined);
}

/** Keeps each service's environments together, services in the order first seen. */
function grouped(services: readonly ServiceStatus[]): ServiceStatus[] {
  const groups = new Map<string, ServiceStatus[]>();
  for (const status of services) {
    const group = groups.get(status.service);
    if (group === undefined) groups.set(status.service, [status]);
    else group.push(status);
  }
  return [...groups.values()].flat();
}

/** Services, environments, ready pods, problems: the whole reply in a few words. */
function summaryParts(services: readonly ServiceStatus[], icons: boolean): Inline[][] {
  const names = new Set(services.map((status) => status.service)).size;
  const environments = new Set(services.map((status) => status.environment)).size;
  const readable = services.filter((status) => status.error === undefined);
  const counts = countPods(readable.flatMap((status) => status.pods));
  const icon = (name: string) => (icons ? [emoji(name), text(' ')] : []);
  const parts = [
    [text(plural(names, 'service'))],
    [text(plural(environments, 'environment'))],
    [text(`${counts.ready}/${plural(counts.pods, 'pod')} ready`)],
  ];
  if (counts.problems > 0) parts.push([...icon('warning'), text(withProblems(counts.problems))]);
  const unreadable = services.length - readable.length;
  if (unreadable > 0) parts.push([...icon('x'), text(`${unreadable} could not be read`)]);
  return parts;
}

function overviewLine(services: readonly ServiceStatus[]): Inline[] {
  return joined([[bold('Status')], ...summaryParts(services, true)], ' · ');
}

/** The notification text: plain words, no formatting. */
function fallbackText(services: readonly ServiceStatus[]): string {
  const [only] = services;
  if (only === undefined) return 'No services to show.';
  if (services.length > 1) {
    return `Status: ${summaryParts(services, false)
      .map((part) => plainText(part))
      .join(', ')}`;
  }
  const name = `${shown(only.service)} (${shown(only.environment)})`;
  if (only.error !== undefined) return `${name}: ${truncate(only.error, 300)}`;
  if (only.pods.length === 0) return `${name}: no pods`;
  const counts = countPods(only.pods);
  const problems = counts.problems > 0 ? `, ${withProblems(counts.problems)}` : '';
  return `${name}: ${counts.ready}/${plural(counts.pods, 'pod')} ready${problems}`;
}

/**
 * The `/status` reply: per service and environment, a line with ready pods and the address,
 * then its pods, problems first. Stays within Slack's limits for any input by counting what it
 * leaves out (…and 437 more pods, …and 12 more services), never by cutting a line.
 */
export function statusMessage(input: StatusMessageInput): ChatMessage {
  const services = grouped(input.services);
  const summary = [text(fallbackText(services))];
  if (services.length === 0) return { summary, blocks: [section(...summary)] };

  const blocks: Block[] = [];
  let budget = TOTAL_BUDGET;
  if (services.length > 1) {
    const overview = overviewLine(services);
    blocks.push(context(...overview));
    budget -= displayLength(overview);
  }
  const room = MESSAGE_LIMITS.blocksPerMessage - blocks.length;
  const fitting = services.length <= room ? services.length : room - 1;
  const visible = services.slice(0, fitting);
  const hidden = services.slice(fitting);
  let moreServices = '';
  if (hidden.length > 0) {
    const trouble = hidden.filter(hasTrouble).length;
    const note = trouble > 0 ? ` (${trouble} with problems)` : '';
    moreServices = `…and ${plural(hidden.length, 'more service', 'more services')}${note}`;
    budget -= moreServices.length;
  }
  const perService = Math.min(MESSAGE_LIMITS.sectionText, Math.floor(budget / visible.length));
  for (const status of visible) blocks.push(section(...serviceText(status, input.now, perService)));
  if (moreServices !== '') blocks.push(context(text(moreServices)));
  return { summary, blocks };
}

/** `/status` with a word that names neither a service nor an environment. */
export function unknownWordMessage(word: string, suggestions: readonly string[]): ChatMessage {
  const hint =
    suggestions.length > 0
      ? [
          text(' Did you mean '),
          ...joined(
            suggestions.map((s) => [code(s)]),
            ', ',
          ),
          text('?'),
        ]
      : [];
  const content = [
    text('There is no service or environment called '),
    code(word),
    text('.'),
    ...hint,
    text(' Type '),
    code('/status'),
    text(', '),
    code('/status <service>'),
    text(' or '),
    code('/status <service> <environment>'),
    text('.'),
  ];
  return { summary: content, blocks: [section(...content)] };
}
