import { spawnSync } from 'node:child_process';
import {
  refFormatProblem,
  refPatternProblem,
  refProblemText,
} from '../../../core/domain/git-ref.js';

/** What the real git says of a ref a person types (a one-level ref like `main` included). */
function gitAccepts(ref: string): boolean {
  return spawnSync('git', ['check-ref-format', '--allow-onelevel', ref]).status === 0;
}

/** Refs that git accepts and so do we. */
const ACCEPTED = [
  'main',
  'v1.2.0',
  'feature/login-page',
  'release_2026.11',
  'refs/heads/main',
  'heads/main',
  'refs/pull/1/head',
  'a@b',
  'a+b',
  'lock',
  'a.lockx',
  '3f2a9c1',
];

/** Refs that git itself refuses: every rule of check-ref-format. */
const GIT_REFUSES: [ref: string, problem: string][] = [
  ['main.', 'it ends with "."'],
  ['.hidden', 'its part ".hidden" starts with "."'],
  ['x/.y', 'its part ".y" starts with "."'],
  ['a/./b', 'its part "." starts with "."'],
  ['foo.lock/bar', 'its part "foo.lock" ends with ".lock"'],
  ['foo/bar.lock/x', 'its part "bar.lock" ends with ".lock"'],
  ['a.lock', 'its part "a.lock" ends with ".lock"'],
  ['/etc/passwd', 'it starts with "/"'],
  ['a/', 'it ends with "/"'],
  ['a//b', 'it contains "//"'],
  ['a..b', 'it contains ".."'],
  ['../etc/passwd', 'it contains ".."'],
  ['@', '"@" alone is not a ref'],
  ['main@{1}', 'it contains "@{"'],
  ['a~b', 'it contains "~", which git does not allow'],
  ['a^b', 'it contains "^", which git does not allow'],
  ['a:b', 'it contains ":", which git does not allow'],
  ['a?b', 'it contains "?", which git does not allow'],
  ['a*b', 'it contains "*", which git does not allow'],
  ['a[b', 'it contains "[", which git does not allow'],
  ['a\\b', 'it contains "\\\\", which git does not allow'],
  ['a b', 'it contains a space or a control character'],
  ['a\tb', 'it contains a space or a control character'],
  ['main\nx', 'it contains a space or a control character'],
  ['a\u007fb', 'it contains a space or a control character'],
  ['', 'it is empty'],
];

/** Refs git accepts that Harbormaster refuses all the same. */
const STRICTER: [ref: string, problem: string][] = [
  ['-main', 'it starts with "-"'],
  ['--upload-pack=touch', 'it starts with "-"'],
  ['main;reboot', 'it has a character other than letters, digits and ". _ / - + = , @"'],
  ['$(id)', 'it has a character other than letters, digits and ". _ / - + = , @"'],
  ['`id`', 'it has a character other than letters, digits and ". _ / - + = , @"'],
  ['é', 'it has a character other than letters, digits and ". _ / - + = , @"'],
  ['a\u202eb', 'it has a character other than letters, digits and ". _ / - + = , @"'],
  ['a'.repeat(201), 'it is longer than 200 characters'],
];

describe('refFormatProblem: every rule of git check-ref-format, and a few more', () => {
  it.each(ACCEPTED)('accepts %j, as git does', (ref) => {
    expect(gitAccepts(ref)).toBe(true);
    expect(refFormatProblem(ref)).toBeUndefined();
  });

  it.each(GIT_REFUSES)('refuses %j, as git does: %s', (ref, problem) => {
    if (ref !== '') expect(gitAccepts(ref)).toBe(false);
    const found = refFormatProblem(ref);
    expect(found && refProblemText(found)).toBe(problem);
  });

  it.each(STRICTER)('refuses %j, which git would take: %s', (ref, problem) => {
    const found = refFormatProblem(ref);
    expect(found && refProblemText(found)).toBe(problem);
  });

  it('takes a 200-character ref', () => {
    expect(refFormatProblem('a'.repeat(200))).toBeUndefined();
  });
});

describe('refPatternProblem: a ref in which * stands for anything', () => {
  it.each(['*', 'v*', 'release/*', 'refs/tags/v*', 'refs/pull/*', 'v*.*'])(
    'accepts %j',
    (pattern) => {
      expect(refPatternProblem(pattern)).toBeUndefined();
    },
  );
  it.each([
    ['', 'it is empty'],
    ['v*/', 'it ends with "/"'],
    ['.*', 'its part ".*" starts with "."'],
    ['v?', 'it contains "?", which git does not allow'],
    ['refs//*', 'it contains "//"'],
  ])('refuses %j: %s', (pattern, problem) => {
    const found = refPatternProblem(pattern);
    expect(found && refProblemText(found)).toBe(problem);
  });
});
