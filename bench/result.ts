import { cpus, loadavg } from 'node:os';
import { round } from './stats.js';

/** What the machine was doing while a figure was measured. */
export interface Conditions {
  cores: number;
  /** 1-minute load average at the start and end of the figure. */
  loadAverage: { start: number; end: number };
  node: string;
  /** How many times each side ran. */
  runs: number;
  /** When the figure was measured (ISO 8601): a subset run keeps the other figures' older entries. */
  at: string;
  /** Anything else that shapes the figure (concurrency, counts, what the baseline is). */
  notes?: string;
}

/** One line of bench/results.json. */
export interface BenchEntry {
  name: string;
  value: number;
  unit: string;
  /** The other side of a comparison, in the same unit; null when the figure has none. */
  baseline: number | null;
  /** value / baseline; null without a baseline. */
  ratio: number | null;
  /** The target, as text (e.g. "<= 0.80"). */
  target: string;
  conditions: Conditions;
  /** Each run's value (and the baseline's), for anyone who distrusts a median. */
  samples?: { value: number[]; baseline?: number[] };
}

export function oneMinuteLoad(): number {
  return round(loadavg()[0] ?? 0, 2);
}

export function conditions(startLoad: number, runs: number, notes?: string): Conditions {
  return {
    cores: cpus().length,
    loadAverage: { start: startLoad, end: oneMinuteLoad() },
    node: process.version,
    runs,
    at: new Date().toISOString(),
    ...(notes === undefined ? {} : { notes }),
  };
}

export function entry(input: {
  name: string;
  value: number;
  unit: string;
  baseline?: number;
  target: string;
  conditions: Conditions;
  samples?: { value: number[]; baseline?: number[] };
}): BenchEntry {
  const baseline = input.baseline ?? null;
  return {
    name: input.name,
    value: round(input.value),
    unit: input.unit,
    baseline: baseline === null ? null : round(baseline),
    ratio: baseline === null || baseline === 0 ? null : round(input.value / baseline),
    target: input.target,
    conditions: input.conditions,
    ...(input.samples === undefined
      ? {}
      : {
          samples: {
            value: input.samples.value.map((v) => round(v)),
            ...(input.samples.baseline === undefined
              ? {}
              : { baseline: input.samples.baseline.map((v) => round(v)) }),
          },
        }),
  };
}

/** The table `npm run bench` prints (Markdown, so the README can show it as it is). */
export function table(entries: readonly BenchEntry[]): string {
  const rows = entries.map((e) =>
    [
      e.name,
      `${String(e.value)} ${e.unit}`,
      e.baseline === null ? '' : `${String(e.baseline)} ${e.unit}`,
      e.ratio === null ? '' : String(e.ratio),
      e.target,
      `${String(e.conditions.runs)} runs, load ${String(e.conditions.loadAverage.start)}→${String(e.conditions.loadAverage.end)}`,
    ].join(' | '),
  );
  return [
    '| figure | value | baseline | ratio | target | conditions |',
    '|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row} |`),
  ].join('\n');
}

/**
 * The new entries, and the earlier run's entries for figures not measured this time, in the
 * order `order` names them (unknown names last).
 */
export function mergeEntries(
  previous: readonly BenchEntry[],
  measured: readonly BenchEntry[],
  order: readonly string[],
): BenchEntry[] {
  const byName = new Map<string, BenchEntry>();
  for (const e of previous) byName.set(e.name, e);
  for (const e of measured) byName.set(e.name, e);
  const rank = (name: string): number => {
    const i = order.indexOf(name);
    return i === -1 ? order.length : i;
  };
  return [...byName.values()].sort((a, b) => rank(a.name) - rank(b.name));
}
