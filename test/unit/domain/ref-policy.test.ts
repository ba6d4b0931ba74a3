import type { EnvironmentConfig } from '../../../core/domain/catalog.js';
import { resolveDeployTarget } from '../../../core/domain/deploy-target.js';
import { doubleSubmitKey } from '../../../core/domain/idempotency.js';
import {
  classifyRef,
  globMatches,
  patternsTake,
  refDenial,
  refIdentity,
} from '../../../core/domain/ref-policy.js';
import { refusalMessage } from '../../../core/messages/command-replies.js';
import { catalog, deployRequest, serviceConfig, STAGING } from '../../support/deploy-fixtures.js';
import { readMessage } from '../../support/fakes/index.js';

const SHA = '3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39';
const GIT = { kind: 'git' } as const;
const PRODUCTION: EnvironmentConfig = {
  ...STAGING,
  name: 'production',
  namespace: 'production',
  refs: ['v*'],
};
const TAGS_ONLY = { refs: ['refs/tags/v*'], allowCommits: false };

describe('classifyRef and refIdentity', () => {
  it.each([
    ['main', { kind: 'name', short: 'main' }],
    ['heads/main', { kind: 'name', short: 'main', full: 'refs/heads/main' }],
    ['refs/heads/main', { kind: 'name', short: 'main', full: 'refs/heads/main' }],
    ['tags/v1', { kind: 'name', short: 'v1', full: 'refs/tags/v1' }],
    ['refs/pull/1/head', { kind: 'hidden', full: 'refs/pull/1/head' }],
    [SHA, { kind: 'commit', id: SHA }],
    ['3f2a9c1', { kind: 'name', short: '3f2a9c1' }],
  ])('%s is %j', (ref, target) => {
    expect(classifyRef(ref)).toEqual(target);
  });

  it('makes main, heads/main and refs/heads/main one ref for the double-submit check', () => {
    expect(new Set(['main', 'heads/main', 'refs/heads/main'].map(refIdentity))).toEqual(
      new Set(['main']),
    );
    const keys = ['main', 'heads/main', 'refs/heads/main', 'develop'].map((ref) =>
      doubleSubmitKey(deployRequest({ ref })),
    );
    expect(new Set(keys).size).toBe(2);
  });
});

describe('patterns', () => {
  it('glob: * stands for anything, slashes included; nothing else is special', () => {
    expect(globMatches('v*', 'v1.2.0')).toBe(true);
    expect(globMatches('*', 'feature/login')).toBe(true);
    expect(globMatches('release/*', 'release/2026.11')).toBe(true);
    expect(globMatches('v*', 'main')).toBe(false);
    expect(globMatches('v1.0', 'v1x0')).toBe(false);
  });

  it('a pattern without refs/ never takes a hidden ref; one that names refs/pull/ does', () => {
    const pull = classifyRef('refs/pull/1/head');
    expect(patternsTake(['*'], pull)).toBe(false);
    expect(patternsTake(['*', 'refs/pull/*'], pull)).toBe(true);
  });

  it('refs/tags/v* takes a tag, not a branch of the same name; a bare name while unknown', () => {
    expect(patternsTake(TAGS_ONLY.refs, classifyRef('refs/tags/v1'))).toBe(true);
    expect(patternsTake(TAGS_ONLY.refs, classifyRef('refs/heads/v1'))).toBe(false);
    expect(patternsTake(TAGS_ONLY.refs, classifyRef('v1'))).toBe(true);
    expect(patternsTake(TAGS_ONLY.refs, { kind: 'name', short: 'v1', full: 'refs/heads/v1' })).toBe(
      false,
    );
  });
});

describe('refDenial: which refs an environment takes', () => {
  it.each([
    ['refs/pull/1/head', 'hidden'],
    [SHA, 'commit'],
    ['main', 'pattern'],
    ['v2.0.0', undefined],
    ['refs/tags/v2.0.0', undefined],
  ])('production (v*) and %s: %s', (ref, denial) => {
    expect(refDenial(GIT, PRODUCTION, ref, true)).toBe(denial);
  });

  it('takes a commit only where allowCommits is set', () => {
    expect(refDenial(GIT, { ...PRODUCTION, allowCommits: true }, SHA, true)).toBeUndefined();
  });

  it('refuses any typed ref of a directory service, never its default', () => {
    expect(refDenial({ kind: 'path' }, STAGING, 'v9-approved', true)).toBe('path-source');
    expect(refDenial({ kind: 'path' }, PRODUCTION, 'main', false)).toBeUndefined();
  });
});

describe('resolveDeployTarget and the refusal a person reads', () => {
  const services = {
    'hello-world': serviceConfig(),
    'hello-api': serviceConfig({
      name: 'hello-api',
      source: { kind: 'git', url: 'https://git.example.com/acme/hello-api.git' },
    }),
  };
  const cat = catalog({ services, environments: { staging: STAGING, production: PRODUCTION } });
  const refused = (command: { service: string; ref?: string; environment?: string }) => {
    const resolution = resolveDeployTarget(cat, command);
    if (resolution.ok) throw new Error(`accepted ${JSON.stringify(command)}`);
    return readMessage(refusalMessage(resolution.refusal));
  };

  it('takes a matching tag', () => {
    expect(
      resolveDeployTarget(cat, { service: 'hello-api', ref: 'v1.2.0', environment: 'production' }),
    ).toEqual({
      ok: true,
      target: { service: 'hello-api', ref: 'v1.2.0', environment: 'production' },
    });
  });

  it('refuses a pull request ref, saying which pattern would take it', () => {
    expect(refused({ service: 'hello-api', ref: 'refs/pull/1/head', environment: 'staging' })).toBe(
      "refs/pull/1/head is a pull request's ref, and staging takes one only when a pattern of environments.staging.refs names it (such as refs/pull/*). Deploy its branch instead: /deploy hello-api@<branch> to staging.\nNothing was queued.",
    );
  });

  it('refuses a commit, and says where to allow them', () => {
    expect(refused({ service: 'hello-api', ref: SHA, environment: 'production' })).toBe(
      `production does not take commits, and ${SHA} is a commit id. Deploy a branch or tag matching v*, or ask whoever runs Harbormaster to set environments.production.allowCommits: true.\nNothing was queued.`,
    );
  });

  it('refuses a ref no pattern takes, and names where it can go', () => {
    expect(refused({ service: 'hello-api', ref: 'main', environment: 'production' })).toBe(
      'production takes only refs matching v*, and main is not one. Type /deploy hello-api@<ref> to production with a ref that matches. It can go to staging (/deploy hello-api@main to staging).\nNothing was queued.',
    );
    expect(refused({ service: 'hello-api', environment: 'production' })).toBe(
      'production takes only refs matching v*, and the default ref of hello-api, main, is not one. Type /deploy hello-api@<ref> to production with a ref that matches. It can go to staging (/deploy hello-api to staging).\nNothing was queued.',
    );
  });

  it('refuses a ref on a directory service: the directory has none', () => {
    expect(refused({ service: 'hello-world', ref: 'v9-approved' })).toBe(
      'hello-world is deployed from a directory (services.hello-world.source.path), which has no branches, tags or commits, so @v9-approved names nothing. Type /deploy hello-world to staging to deploy the directory as it is.\nNothing was queued.',
    );
  });

  it('refuses a ref git would not take, saying which rule it breaks', () => {
    expect(refused({ service: 'hello-api', ref: 'foo.lock/bar' })).toBe(
      'foo.lock/bar is not a ref I can deploy: its part foo.lock ends with .lock. Type a branch, tag or commit, e.g. /deploy hello-api@v1.2.0.\nNothing was queued.',
    );
  });
});
