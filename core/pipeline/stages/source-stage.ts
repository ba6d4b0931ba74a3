import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { DeployError } from '../../domain/deploy-error.js';
import type { ProgramRunner } from '../../ports/program-runner.js';
import type { SourceTree, Stage, StageContext } from '../stage.js';

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

function copyDirectory(context: StageContext, path: string, target: string) {
  cpSync(path, target, {
    recursive: true,
    filter: (entry) => !NOT_SOURCE.has(entry.split(sep).at(-1) ?? ''),
  });
  const digest = digestOf(target).slice(0, 12);
  context.log(`copied ${path} (source digest ${digest})`);
  return { output: { dir: target, commit: `src-${digest}` }, summary: `local source ${digest}` };
}

async function fetchRef(
  programs: ProgramRunner,
  context: StageContext,
  url: string,
  target: string,
) {
  const { ref } = context.request;
  mkdirSync(target, { recursive: true });
  try {
    await git(programs, context, ['init', '--quiet', target], context.workDir);
    // The ref was checked as a safe git ref before queueing; `--` ends the options.
    await git(programs, context, ['fetch', '--quiet', '--depth', '1', '--', url, ref], target);
    await git(programs, context, ['checkout', '--quiet', 'FETCH_HEAD'], target);
    const commit = await git(programs, context, ['rev-parse', 'HEAD'], target);
    return { output: { dir: target, commit }, summary: `${ref} at ${commit.slice(0, 12)}` };
  } catch (error) {
    throw new DeployError(
      'SOURCE_FAILED',
      `could not fetch ${ref} from ${url}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/**
 * Source: a fresh copy of the service's directory, or a shallow fetch of the requested ref from
 * its git URL. Either way the deploy works on its own tree and records what it deploys.
 */
export function sourceStage(options: { programs: ProgramRunner }): Stage<'source', never> {
  return {
    name: 'source',
    needs: [],
    run(context): Promise<{ output: SourceTree; summary: string }> {
      const target = join(context.workDir, 'source');
      const { source } = context.service;
      if (source.kind === 'path')
        return Promise.resolve(copyDirectory(context, source.path, target));
      return fetchRef(options.programs, context, source.url, target);
    },
  };
}
