import { ApiError } from '../../support/kube-api/api-error.js';
import {
  formatLabelSelector,
  labelSelectorFromObject,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
} from '../../support/kube-api/selectors.js';

const web = { app: 'web', tier: 'frontend', track: 'stable' };
const worker = { app: 'worker', tier: 'backend' };
const bare = {};

function selects(selector: string, labels: Record<string, string>): boolean {
  return matchesLabels(parseLabelSelector(selector), labels);
}

describe('label selectors', () => {
  it.each([
    ['app=web', [true, false, false]],
    ['app==web', [true, false, false]],
    ['app!=web', [false, true, true]],
    ['app in (web,worker)', [true, true, false]],
    ['app notin (web)', [false, true, true]],
    ['track', [true, false, false]],
    ['!track', [false, true, true]],
    ['app=web,tier=frontend', [true, false, false]],
    ['tier in (frontend, backend),!track', [false, true, false]],
    ['', [true, true, true]],
  ] as const)('%s selects as the API server does', (selector, expected) => {
    expect([web, worker, bare].map((labels) => selects(selector, labels))).toEqual(expected);
  });

  it('compares numbers with gt and lt', () => {
    expect(selects('rank>3', { rank: '5' })).toBe(true);
    expect(selects('rank<3', { rank: '5' })).toBe(false);
    expect(selects('rank>3', { rank: 'high' })).toBe(false);
  });

  it.each(['app in (', 'app=web=x', 'in (a)', 'app=bad value!', '-app=web', 'app notin ()'])(
    'rejects the malformed selector %j with a 400',
    (selector) => {
      let caught: unknown;
      try {
        parseLabelSelector(selector);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ApiError);
      expect((caught as ApiError).code).toBe(400);
      expect((caught as ApiError).reason).toBe('BadRequest');
    },
  );

  it('converts matchLabels and matchExpressions as Deployments carry them', () => {
    const selector = labelSelectorFromObject({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['frontend', 'edge'] },
        { key: 'canary', operator: 'DoesNotExist' },
      ],
    });
    expect(selector).toBeDefined();
    expect(matchesLabels(selector ?? [], web)).toBe(true);
    expect(matchesLabels(selector ?? [], { ...web, canary: 'yes' })).toBe(false);
    expect(formatLabelSelector(selector ?? [])).toBe('app=web,!canary,tier in (edge,frontend)');
  });

  it('treats an absent selector as selecting nothing and {} as everything', () => {
    expect(labelSelectorFromObject(undefined)).toBeUndefined();
    expect(labelSelectorFromObject({})).toEqual([]);
  });
});

describe('field selectors', () => {
  const fields: Record<string, string> = { 'metadata.name': 'web-1', 'status.phase': 'Running' };
  const read = (field: string): string | undefined => fields[field];

  it('matches =, == and != requirements joined by commas', () => {
    expect(matchesFields(parseFieldSelector('metadata.name=web-1'), read)).toBe(true);
    expect(
      matchesFields(parseFieldSelector('status.phase==Running,metadata.name!=web-2'), read),
    ).toBe(true);
    expect(matchesFields(parseFieldSelector('status.phase!=Running'), read)).toBe(false);
  });

  it('unescapes backslash-escaped separators in values', () => {
    expect(parseFieldSelector('metadata.name=a\\,b')).toEqual([
      { field: 'metadata.name', operator: '=', value: 'a,b' },
    ]);
  });

  it('rejects a requirement without an operator', () => {
    expect(() => parseFieldSelector('metadata.name')).toThrow(ApiError);
  });
});
