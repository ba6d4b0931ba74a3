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
  ])('refuses %j', (ref) => {
    expect(gitRef.safeParse(ref).success).toBe(false);
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
