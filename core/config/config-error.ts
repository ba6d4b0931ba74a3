import { DeployError } from '../domain/deploy-error.js';

/** One thing wrong with the configuration, told so a person can fix it. */
export interface ConfigProblem {
  /** Dotted key (`services.hello-world.chart`) or environment variable name. */
  key: string;
  found: string;
  expected: string;
  /** 1-based line in the file, where known. */
  line?: number;
}

/** Raised at start-up; its message names the source, each key, what was found and what is expected. */
export class ConfigError extends DeployError {
  readonly source: string;
  readonly problems: readonly ConfigProblem[];

  constructor(source: string, problems: readonly ConfigProblem[]) {
    super('CONFIG_INVALID', formatProblems(source, problems));
    this.name = 'ConfigError';
    this.source = source;
    this.problems = problems;
  }
}

function formatProblems(source: string, problems: readonly ConfigProblem[]): string {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  const lines = problems.map((problem) => {
    const at = problem.line === undefined ? '' : ` (line ${problem.line})`;
    return `  - ${problem.key}${at}: found ${problem.found}; expected ${problem.expected}`;
  });
  return [`Harbormaster cannot start: ${source} has ${count}:`, ...lines].join('\n');
}

/** How a value reads in a message: short, quoted, never the whole of a large value. */
export function describeFound(value: unknown): string {
  if (value === undefined) return 'nothing (the key is missing)';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'number' || typeof value === 'boolean')
    return `${String(value)} (a ${typeof value})`;
  if (Array.isArray(value)) return `a list of ${value.length}`;
  return 'a mapping';
}
