import type { BenchEntry } from '../result.js';

export interface FigureOptions {
  /** Fewer requests and rounds: for developing the bench, not for the figures. */
  quick: boolean;
  log: (line: string) => void;
  /** The figure names asked for on the command line; empty for all. */
  wanted: readonly string[];
}

export interface Figure {
  /** The names it writes to results.json; any of them on the command line runs it. */
  names: readonly string[];
  run: (options: FigureOptions) => Promise<BenchEntry[]>;
}
