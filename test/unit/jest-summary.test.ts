import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/paths.js';

/** The line CI reads, from a jest --json result written for the case. */
function summarise(results: object | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'jest-summary-'));
  const file = join(dir, 'results.json');
  if (results) writeFileSync(file, JSON.stringify(results));
  return execFileSync('node', [join(repoRoot, 'scripts', 'jest-summary.mjs'), file], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
}

const suite = (name: string, status: 'passed' | 'failed', tests: ('passed' | 'failed')[]) => ({
  name,
  status,
  message: status === 'failed' ? '  ● Test suite failed to run\n\n    boom' : '',
  assertionResults: tests.map((testStatus, i) => ({ title: `t${i}`, status: testStatus })),
});

describe('scripts/jest-summary.mjs', () => {
  it('counts passed and failed tests', () => {
    expect(
      summarise({
        numPassedTests: 3,
        numFailedTests: 1,
        testResults: [
          suite('a', 'passed', ['passed', 'passed']),
          suite('b', 'failed', ['passed', 'failed']),
        ],
      }),
    ).toBe('3 passed, 1 failed');
  });

  it('counts a suite that failed to run as a failure, though it has no failed test', () => {
    expect(
      summarise({
        numPassedTests: 2,
        numFailedTests: 0,
        testResults: [suite('a', 'passed', ['passed', 'passed']), suite('crashed', 'failed', [])],
      }),
    ).toBe('2 passed, 1 failed');
  });

  it('says nothing ran when there are no results', () => {
    expect(summarise(undefined)).toBe('0 passed, 0 failed');
  });
});
