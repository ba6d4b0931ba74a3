/** The arithmetic of the figures: pure, so that the unit tests cover it without a bench run. */

function sorted(values: readonly number[]): number[] {
  if (values.length === 0) throw new Error('no values to summarise');
  if (values.some((value) => !Number.isFinite(value))) throw new Error('a value is not finite');
  return [...values].sort((a, b) => a - b);
}

/** The middle value; the mean of the two middle ones for an even count. */
export function median(values: readonly number[]): number {
  const s = sorted(values);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1
    ? (s[mid] as number)
    : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** The nearest-rank percentile: the smallest value with at least p % of the values at or below it. */
export function percentile(values: readonly number[], p: number): number {
  if (!(p > 0 && p <= 100)) throw new Error(`percentile ${String(p)} is not in (0, 100]`);
  const s = sorted(values);
  const rank = Math.ceil((p / 100) * s.length);
  return s[rank - 1] as number;
}

/** Rounded for a table or results.json: three significant decimals are more than a bench knows. */
export function round(value: number, decimals = 3): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
