import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostProgramRunner } from '../../core/adapters/host-program-runner.js';
import { sourceStage } from '../../core/pipeline/stages/source-stage.js';
import { FakeImageBuilder, FakeImageRegistry, FakeTestedImages } from '../support/fakes/index.js';
import { repoRoot } from '../support/paths.js';
import { deployRequest, serviceConfig, STAGING } from '../support/deploy-fixtures.js';

const fixture = join(repoRoot, 'test', 'fixtures', 'services', 'tiny');

function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args],
    {
      cwd,
      encoding: 'utf8',
    },
  ).trim();
}

describe('source stage with a git repository', () => {
  const dirs: string[] = [];
  let repository: string;
  let v1: string;
  let mainHead: string;

  beforeAll(() => {
    repository = mkdtempSync(join(tmpdir(), 'hm-git-origin-'));
    dirs.push(repository);
    cpSync(fixture, repository, { recursive: true });
    git(repository, 'init', '--quiet', '--initial-branch=main');
    git(repository, 'add', '.');
    git(repository, 'commit', '--quiet', '-m', 'v1');
    git(repository, 'tag', 'v1.0.0');
    v1 = git(repository, 'rev-parse', 'HEAD');
    writeFileSync(join(repository, 'greeting.js'), "module.exports = () => 'Hello, main!';\n");
    git(repository, 'commit', '--quiet', '-am', 'main moves on');
    mainHead = git(repository, 'rev-parse', 'HEAD');
  });
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  async function fetchRef(ref: string) {
    const workDir = mkdtempSync(join(tmpdir(), 'hm-git-work-'));
    dirs.push(workDir);
    const log: string[] = [];
    const service = serviceConfig({
      name: 'tiny',
      source: { kind: 'git', url: `file://${repository}` },
    });
    const { output, summary } = await sourceStage({
      programs: new HostProgramRunner(),
      builder: new FakeImageBuilder(),
      tested: { registryApi: new FakeImageRegistry(), testedImages: new FakeTestedImages() },
    }).run(
      {
        request: deployRequest({ id: 'deploy-git', service: 'tiny', ref }),
        service,
        environment: STAGING,
        registry: { host: '127.0.0.1:5000' },
        workDir,
        programEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: workDir },
        timeoutMs: 30_000,
        signal: new AbortController().signal,
        cancelSignal: new AbortController().signal,
        log: (line) => log.push(line),
      },
      {},
    );
    // What the stage handed on, by the names this test reads.
    const outcome: { commit?: string; sourceDir?: string } = {
      commit: output.commit,
      sourceDir: output.dir,
    };
    return { outcome, summary, log };
  }

  it('fetches a tag and records the commit it resolves to', async () => {
    const { outcome, summary } = await fetchRef('v1.0.0');
    expect(outcome.commit).toBe(v1);
    expect(summary).toBe(`v1.0.0 at ${v1.slice(0, 12)}`);
    expect(readFileSync(join(outcome.sourceDir ?? '', 'greeting.js'), 'utf8')).toContain(
      'Hello, World!',
    );
  });

  it('fetches a branch at its head', async () => {
    const { outcome } = await fetchRef('main');
    expect(outcome.commit).toBe(mainHead);
    expect(readFileSync(join(outcome.sourceDir ?? '', 'greeting.js'), 'utf8')).toContain(
      'Hello, main!',
    );
  });

  it('refuses a ref the repository does not have, with SOURCE_FAILED naming it, not the URL', async () => {
    const failure = await fetchRef('no-such-branch').then(
      () => {
        throw new Error('no-such-branch was fetched');
      },
      (error: unknown) => error as Error & { code?: string },
    );
    expect(failure.code).toBe('SOURCE_FAILED');
    expect(failure.message).toMatch(
      /^could not fetch no-such-branch from the repository in services\.tiny\.source\.git: /,
    );
    // A person reads this message: no command line, no URL (it may carry credentials).
    expect(failure.message).not.toContain(repository);
  });
});
