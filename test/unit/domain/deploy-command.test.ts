import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { parseDeployCommand } from '../../../core/domain/deploy-command.js';
import { resolveDeployTarget } from '../../../core/domain/deploy-target.js';
import { gitRef } from '../../../core/domain/names.js';
import { parseStatusQuery } from '../../../core/domain/status-query.js';
import { suggestNames } from '../../../core/domain/suggest.js';
import { catalog as catalogOf, serviceConfig, STAGING } from '../../support/deploy-fixtures.js';

describe('parseDeployCommand', () => {
  it.each([
    ['', { kind: 'help' }],
    ['  help ', { kind: 'help' }],
    ['list', { kind: 'list' }],
    ['hello-world', { kind: 'deploy', service: 'hello-world' }],
    ['Hello-World@V1.2.0', { kind: 'deploy', service: 'hello-world', ref: 'V1.2.0' }],
    [
      'hello-world to Production',
      { kind: 'deploy', service: 'hello-world', environment: 'production' },
    ],
    [
      'hello-world@feature/x to staging',
      { kind: 'deploy', service: 'hello-world', ref: 'feature/x', environment: 'staging' },
    ],
    ['hello-world@', { kind: 'unreadable', text: 'hello-world@' }],
    ['@main', { kind: 'unreadable', text: '@main' }],
    ['hello-world to', { kind: 'unreadable', text: 'hello-world to' }],
    ['hello-world into staging', { kind: 'unreadable', text: 'hello-world into staging' }],
    ['hello-world to staging now', { kind: 'unreadable', text: 'hello-world to staging now' }],
    ['hello-world --rebuild', { kind: 'deploy', service: 'hello-world', rebuild: true }],
    [
      'hello-world@v2 to staging --REBUILD',
      { kind: 'deploy', service: 'hello-world', ref: 'v2', environment: 'staging', rebuild: true },
    ],
    [
      '--rebuild hello-world to staging',
      { kind: 'deploy', service: 'hello-world', environment: 'staging', rebuild: true },
    ],
    ['--rebuild', { kind: 'unreadable', text: '--rebuild' }],
    [
      'hello-world --rebuild --rebuild',
      { kind: 'unreadable', text: 'hello-world --rebuild --rebuild' },
    ],
    ['hello-world --force', { kind: 'unreadable', text: 'hello-world --force' }],
    ['hello-world --rebuild=yes', { kind: 'unreadable', text: 'hello-world --rebuild=yes' }],
    // A ref, not the option (and refused later: no ref starts with "-").
    ['hello-world@--rebuild', { kind: 'deploy', service: 'hello-world', ref: '--rebuild' }],
  ])('reads %j', (text, expected) => {
    expect(parseDeployCommand(text)).toEqual(expected);
  });
});

describe('gitRef, the schema of a ref in a deploy request', () => {
  it.each(['main', 'v1.2.0', 'feature/login-page', 'release_2026.11', '3f2a9c1', 'a'.repeat(200)])(
    'accepts %s',
    (ref) => {
      expect(gitRef.safeParse(ref).success).toBe(true);
    },
  );
  it.each([
    '-main',
    '--upload-pack=touch',
    'main;reboot',
    '$(id)',
    'a b',
    'main\nx',
    '../etc/passwd',
    'a..b',
    'feature//x',
    'branch/',
    'ref.lock',
    'main@{1}',
    '`id`',
    'a'.repeat(201),
    // What `git check-ref-format` refuses.
    'main.',
    '.hidden',
    'foo.lock/bar',
    '/etc/passwd',
    'a/./b',
    'a/.b',
    'a/b.lock',
    'a.',
  ])('refuses %j', (ref) => {
    expect(gitRef.safeParse(ref).success).toBe(false);
  });

  it('accepts no ref that git check-ref-format refuses', () => {
    const alphabet = fc.constantFrom(...'aZ09._/-'.split(''), '.lock', '..', '//');
    const refs = fc.sample(
      fc.array(alphabet, { minLength: 1, maxLength: 12 }).map((parts) => parts.join('')),
      { numRuns: 400, seed: 13 },
    );
    const accepted = [...new Set(refs)].filter((ref) => gitRef.safeParse(ref).success);
    expect(accepted.length).toBeGreaterThan(20);
    const refusedByGit = accepted.filter(
      (ref) =>
        spawnSync('git', ['check-ref-format', '--allow-onelevel', ref], { stdio: 'ignore' })
          .status !== 0,
    );
    expect(refusedByGit).toEqual([]);
  });
});

describe('suggestNames', () => {
  const names = ['hello-world', 'hello-api', 'payments', 'production', 'staging'];
  it('suggests close spellings first and prefixes', () => {
    expect(suggestNames('helo-world', names)).toEqual(['hello-world']);
    expect(suggestNames('prod', names)).toEqual(['production']);
    expect(suggestNames('stagign', names)).toEqual(['staging']);
  });
  it('suggests nothing for something unlike every name', () => {
    expect(suggestNames('zebra', names)).toEqual([]);
  });
});

const catalog = catalogOf({
  services: {
    'hello-world': serviceConfig(),
    'hello-api': serviceConfig({ name: 'hello-api', defaultRef: 'trunk' }),
  },
  environments: { staging: STAGING, production: { ...STAGING, name: 'production' } },
});

describe('resolveDeployTarget', () => {
  it("fills in the service's default ref and the catalog's first environment", () => {
    expect(resolveDeployTarget(catalog, { service: 'hello-api' })).toEqual({
      ok: true,
      target: { service: 'hello-api', ref: 'trunk', environment: 'staging' },
    });
  });
  it('refuses an unknown service with suggestions and the known names', () => {
    expect(resolveDeployTarget(catalog, { service: 'hello-wrld' })).toEqual({
      ok: false,
      refusal: {
        code: 'UNKNOWN_SERVICE',
        service: 'hello-wrld',
        suggestions: ['hello-world'],
        known: ['hello-world', 'hello-api'],
      },
    });
  });
  it('refuses an unsafe ref before looking at the environment', () => {
    expect(
      resolveDeployTarget(catalog, { service: 'hello-world', ref: '-x', environment: 'nowhere' }),
    ).toEqual({
      ok: false,
      refusal: {
        code: 'INVALID_REF',
        service: 'hello-world',
        ref: '-x',
        problem: [{ text: 'it starts with ' }, { code: '-' }],
      },
    });
  });
});

describe('parseStatusQuery', () => {
  it('takes a service and an environment in either order, all of them when none is named', () => {
    expect(parseStatusQuery('', catalog)).toEqual({
      ok: true,
      query: { services: ['hello-world', 'hello-api'], environments: ['staging', 'production'] },
    });
    expect(parseStatusQuery('production hello-api', catalog)).toEqual({
      ok: true,
      query: { services: ['hello-api'], environments: ['production'] },
    });
  });
  it('names the word it does not know', () => {
    expect(parseStatusQuery('hello-world prod', catalog)).toEqual({
      ok: false,
      word: 'prod',
      suggestions: ['production'],
    });
  });
});
