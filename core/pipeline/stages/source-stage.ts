import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { DeployError } from '../../domain/deploy-error.js';
import type { ProgramRunner } from '../../ports/program-runner.js';
import type { PipelineStage, StageContext } from '../pipeline-types.js';

const NOT_SOURCE = new Set(['node_modules', '.git']);

/** A digest of a directory's files: the same sources always give the same immutable image tag. */
export function digestOf(dir: string): string {
  const hash = createHash('sha256');
  const walk = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      if (NOT_SOURCE.has(name)) continue;
      const path = join(current, name);
      const stats = statSync(path);
      if (stats.isDirectory()) walk(path);
      else if (stats.isFile()) {
        hash
          .update(relative(dir, path).split(sep).join('/'))
          .update('\0')
          .update(readFileSync(path))
          .update('\0');
      }
    }
  };
  walk(dir);
  return hash.digest('hex');
}

/** Runs one git command; anything but exit code 0 throws, saying what git said last. */
async function git(
  programs: ProgramRunner,
  context: StageContext,
  args: [string, ...string[]],
  cwd: string,
): Promise<string> {
  let lastLine = '';
  const result = await programs.run({
    command: ['git', ...args],
    cwd,
    env: { ...context.programEnv, GIT_TERMINAL_PROMPT: '0' },
    signal: context.signal,
    onLine: (line) => {
      if (line.trim() !== '') lastLine = line.trim();
      context.log(line);
    },
  });
  if (result.kind === 'exited' && result.exitCode === 0) return result.stdout.trim();
  const how =
    result.kind === 'exited'
      ? `git ${args[0]} exited with code ${result.exitCode}`
      : result.kind === 'not-found'
        ? 'git is not installed on the worker'
        : `git ${args[0]} ${result.kind === 'timed-out' ? 'timed out' : 'was cancelled'}`;
  throw new Error(lastLine === '' ? how : `${lastLine} (${how})`);
}

/**
 * Source: a fresh copy of the service's directory, or a shallow fetch of the requested ref from
 * its git URL. Either way the deploy works on its own tree and records what it deploys.
 */
export function sourceStage(options: {
  programs: ProgramRunner;
  timeoutMs: number;
}): PipelineStage {
  const { programs, timeoutMs } = options;
  return {
    name: 'source',
    timeoutMs,
    async run(context) {
      const target = join(context.workDir, 'source');
      const { source } = context.service;
      if (source.kind === 'path') {
        cpSync(source.path, target, {
          recursive: true,
          filter: (path) => !NOT_SOURCE.has(path.split(sep).at(-1) ?? ''),
        });
        const digest = digestOf(target);
        context.outcome.sourceDir = target;
        context.outcome.commit = `src-${digest.slice(0, 12)}`;
        context.log(`copied ${source.path} (source digest ${digest.slice(0, 12)})`);
        return `local source ${digest.slice(0, 12)}`;
      }
      mkdirSync(target, { recursive: true });
      try {
        await git(programs, context, ['init', '--quiet', target], context.workDir);
        // The ref was checked as a safe git ref before queueing; `--` ends the options.
        await git(
          programs,
          context,
          ['fetch', '--quiet', '--depth', '1', '--', source.url, context.request.ref],
          target,
        );
        await git(programs, context, ['checkout', '--quiet', 'FETCH_HEAD'], target);
        const commit = await git(programs, context, ['rev-parse', 'HEAD'], target);
        context.outcome.sourceDir = target;
        context.outcome.commit = commit;
        return `${context.request.ref} at ${commit.slice(0, 12)}`;
      } catch (error) {
        throw new DeployError(
          'SOURCE_FAILED',
          `could not fetch ${context.request.ref} from ${source.url}: ${(error as Error).message}`,
          { cause: error },
        );
      }
    },
  };
}
