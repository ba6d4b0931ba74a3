import type { EnvironmentConfig, ServiceSource } from './catalog.js';

/** What a ref names, as far as can be told from its text. */
export type RefTarget =
  /** A full commit id (40 hex digits, or 64 for SHA-256 repositories). */
  | { kind: 'commit'; id: string }
  /**
   * A branch or a tag. `full` is known when the ref was written out (`refs/tags/v1`, `heads/main`)
   * or once the repository said which it is; a bare `v1` could be either until then.
   */
  | { kind: 'name'; short: string; full?: string }
  /** Any other ref: a pull request's (`refs/pull/1/head`), a merge request's, a review's. */
  | { kind: 'hidden'; full: string };

/** Every branch and tag, no pull-request refs, no commits: an environment that says nothing. */
export const DEFAULT_REF_PATTERNS: readonly string[] = ['*'];

const COMMIT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

const QUALIFIERS: readonly [prefix: string, full: string][] = [
  ['refs/heads/', 'refs/heads/'],
  ['refs/tags/', 'refs/tags/'],
  ['heads/', 'refs/heads/'],
  ['tags/', 'refs/tags/'],
];

export function classifyRef(ref: string): RefTarget {
  if (COMMIT_ID.test(ref)) return { kind: 'commit', id: ref };
  for (const [prefix, full] of QUALIFIERS) {
    if (ref.startsWith(prefix)) {
      const short = ref.slice(prefix.length);
      return { kind: 'name', short, full: `${full}${short}` };
    }
  }
  if (ref.startsWith('refs/')) return { kind: 'hidden', full: ref };
  return { kind: 'name', short: ref };
}

/**
 * One text for one ref, for telling two submissions of the same deploy apart: `main`,
 * `heads/main` and `refs/heads/main` are all `main`.
 */
export function refIdentity(ref: string): string {
  const target = classifyRef(ref);
  return target.kind === 'commit'
    ? target.id
    : target.kind === 'hidden'
      ? target.full
      : target.short;
}

/** A glob in which `*` stands for any run of characters, `/` included. */
export function globMatches(pattern: string, text: string): boolean {
  const parts = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`).test(text);
}

/**
 * Whether one of the patterns takes the ref. A pattern starting with `refs/` is matched against
 * the full name (`refs/tags/v*` takes tags only; `refs/pull/*` pull requests); any other against
 * a branch's or tag's short name, and never against a hidden ref. A bare name whose kind is not
 * known yet is taken when it would be as a branch or as a tag; the worker checks again once the
 * repository has said which it is.
 */
export function patternsTake(patterns: readonly string[], target: RefTarget): boolean {
  if (target.kind === 'commit') return false;
  return patterns.some((pattern) => {
    const full = pattern.startsWith('refs/');
    if (target.kind === 'hidden') return full && globMatches(pattern, target.full);
    if (!full) return globMatches(pattern, target.short);
    const candidates =
      target.full === undefined
        ? [`refs/heads/${target.short}`, `refs/tags/${target.short}`]
        : [target.full];
    return candidates.some((candidate) => globMatches(pattern, candidate));
  });
}

/** Why an environment does not take a ref of a service. */
export type RefDenial =
  /** The service is a directory (`source.path`): it has no refs to choose from. */
  | 'path-source'
  /** A commit id, where the environment does not set `allowCommits`. */
  | 'commit'
  /** A pull-request (or other hidden) ref that no pattern names. */
  | 'hidden'
  /** A branch or tag that no pattern takes. */
  | 'pattern';

/**
 * Whether the environment takes this ref of the service. `typed`: the person named the ref (a
 * directory's default ref is not a ref anyone chose, so only a typed one is refused there).
 */
export function refDenial(
  source: Pick<ServiceSource, 'kind'>,
  environment: Pick<EnvironmentConfig, 'refs' | 'allowCommits'>,
  ref: string,
  typed: boolean,
): RefDenial | undefined {
  if (source.kind === 'path') return typed ? 'path-source' : undefined;
  const target = classifyRef(ref);
  if (target.kind === 'commit') return environment.allowCommits ? undefined : 'commit';
  if (patternsTake(environment.refs, target)) return undefined;
  return target.kind === 'hidden' ? 'hidden' : 'pattern';
}
