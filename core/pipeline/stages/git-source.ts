import { mkdirSync } from 'node:fs';
import { DeployError } from '../../domain/deploy-error.js';
import { gitAuthEnv, withoutUrls, type GitCredentials } from '../../domain/git-access.js';
import { classifyRef, refDenial } from '../../domain/ref-policy.js';
import type { ProgramRunner } from '../../ports/program-runner.js';
import type { StageContext } from '../stage.js';

export interface GitSourceOptions {
  programs: ProgramRunner;
  /** The token for private repositories over https (GIT_TOKEN). */
  credentials?: GitCredentials;
}

interface GitCall {
  options: GitSourceOptions;
  context: StageContext;
  url: string;
}

/**
 * Runs one git command; anything but exit code 0 throws, saying what git said last. Every line is
 * told without URLs, and the token reaches git through its environment only (git-access.ts).
 */
async function git(call: GitCall, args: [string, ...string[]], cwd: string): Promise<string> {
  const { context } = call;
  let lastLine = '';
  const result = await call.options.programs.run({
    command: ['git', ...args],
    cwd,
    env: {
      ...context.programEnv,
      GIT_TERMINAL_PROMPT: '0',
      ...gitAuthEnv(call.url, call.options.credentials),
    },
    signal: context.signal,
    onLine: (line) => {
      const said = withoutUrls(line);
      if (said.trim() !== '') lastLine = said.trim();
      context.log(said);
    },
  });
  if (result.kind === 'exited' && result.exitCode === 0) return result.stdout.trim();
  const how =
    result.kind === 'exited'
      ? `git ${args[0]} exited with code ${result.exitCode}`
      : result.kind === 'not-found'
        ? 'git is not installed on the worker'
        : `git ${args[0]} ${result.kind === 'timed-out' ? 'timed out' : 'did not finish'}`;
  throw new Error(lastLine === '' ? how : `${lastLine} (${how})`);
}

/**
 * The full name of what to fetch. A bare name is looked up among the repository's tags, then its
 * branches (git's own order), and only there: `pull/1/head` is never taken for `refs/pull/1/head`.
 */
async function qualify(call: GitCall, ref: string, cwd: string): Promise<string> {
  const target = classifyRef(ref);
  if (target.kind === 'commit') return target.id;
  if (target.kind === 'hidden') return target.full;
  if (target.full !== undefined) return target.full;
  const listed = await git(call, ['ls-remote', '--heads', '--tags', '--', call.url, ref], cwd);
  const names = new Set(listed.split('\n').map((line) => line.split('\t')[1] ?? ''));
  const found = [`refs/tags/${ref}`, `refs/heads/${ref}`].find((name) => names.has(name));
  if (found === undefined) throw new Error(`the repository has no branch or tag called ${ref}`);
  return found;
}

/** The environment's patterns again, now that the repository said whether it is a tag or a branch. */
function checkTaken(context: StageContext, ref: string, full: string): void {
  const { environment } = context;
  if (refDenial({ kind: 'git' }, environment, full, true) === undefined) return;
  throw new DeployError(
    'INVALID_REF',
    `${ref} is ${full}, and ${environment.name} takes only refs matching ${environment.refs.join(', ')}`,
  );
}

/** A shallow fetch of the requested ref into `target`; its commit is what the deploy records. */
export async function fetchGitRef(
  options: GitSourceOptions,
  context: StageContext,
  url: string,
  target: string,
) {
  const { ref } = context.request;
  const call = { options, context, url };
  mkdirSync(target, { recursive: true });
  let full: string;
  try {
    await git(call, ['init', '--quiet', target], context.workDir);
    full = await qualify(call, ref, target);
  } catch (error) {
    throw fetchFailed(context, error);
  }
  checkTaken(context, ref, full);
  try {
    // The ref passed every rule of git-ref.ts before queueing; `--` ends the options.
    await git(call, ['fetch', '--quiet', '--depth', '1', '--', url, full], target);
    await git(call, ['checkout', '--quiet', 'FETCH_HEAD'], target);
    const commit = await git(call, ['rev-parse', 'HEAD'], target);
    return { output: { dir: target, commit }, summary: `${ref} at ${commit.slice(0, 12)}` };
  } catch (error) {
    throw fetchFailed(context, error);
  }
}

function fetchFailed(context: StageContext, error: unknown): DeployError {
  const { ref } = context.request;
  const key = `services.${context.service.name}.source.git`;
  return new DeployError(
    'SOURCE_FAILED',
    `could not fetch ${ref} from the repository in ${key}: ${(error as Error).message}`,
    { cause: error },
  );
}
