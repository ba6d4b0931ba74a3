import type {
  ProgramRequest,
  ProgramResult,
  ProgramRunner,
} from '../../../core/ports/program-runner.js';

type Answer = ProgramResult & { lines?: string[] };

/**
 * Runs nothing: answers each command from a script (the latest rule whose words start the
 * command), exit code 0 otherwise, and records what was asked.
 */
export class FakeProgramRunner implements ProgramRunner {
  readonly runs: ProgramRequest[] = [];
  private readonly rules: { prefix: readonly string[]; answer: Answer }[] = [];

  /** Commands starting with `prefix` get `answer`, printing its `lines` first. */
  on(prefix: readonly string[], answer: Answer): this {
    this.rules.push({ prefix, answer });
    return this;
  }

  /** The commands run, as words. */
  get commands(): string[] {
    return this.runs.map((run) => run.command.join(' '));
  }

  run(request: ProgramRequest): Promise<ProgramResult> {
    this.runs.push(request);
    if (request.signal?.aborted) return Promise.resolve({ kind: 'cancelled' });
    const rule = this.rules.findLast(({ prefix }) =>
      prefix.every((word, index) => request.command[index] === word),
    );
    const { lines = [], ...result } = rule?.answer ?? { kind: 'exited', exitCode: 0, stdout: '' };
    for (const line of lines) request.onLine?.(line);
    return Promise.resolve(result);
  }
}
