import { hashTagOf, queueKeys } from '../../../core/adapters/queue/queue-keys.js';

describe('queue keys', () => {
  it.each([
    ['bull', undefined],
    [undefined, undefined],
    ['{harbormaster}', '{harbormaster}'],
    ['bull:{hm}', '{hm}'],
    // As Redis Cluster reads a tag: the first '{' and the first '}' after it, not empty.
    ['{}bull', undefined],
    ['a{b}{c}', '{b}'],
    ['{a', undefined],
  ])('finds the hash tag of the prefix %s: %s', (prefix, tag) => {
    expect(hashTagOf(prefix)).toBe(tag);
  });

  it("puts the prefix's hash tag in every key a script touches, so they share BullMQ's slot", () => {
    const keys = queueKeys('deploys', '{hm}');
    for (const key of [
      keys.request('deploy-1'),
      keys.submit('abc'),
      keys.person('U1'),
      keys.queued('staging/hello-world'),
      `${keys.pendingPrefix}deploy-1`,
    ]) {
      expect(hashTagOf(key)).toBe('{hm}');
    }
    // Read alone by a worker that knows only the queue's name.
    expect(keys.withdrawn('deploy-1')).toBe('harbormaster:deploys:withdrawn:deploy-1');
  });

  it('keeps the keys as they were without a hash tag', () => {
    const keys = queueKeys('deploys', 'bull');
    expect(keys.request('deploy-1')).toBe('harbormaster:deploys:request:deploy-1');
    expect(keys.queued('staging/hello-world')).toBe(
      'harbormaster:deploys:queued:staging/hello-world',
    );
  });
});
