import { SecretScrubber } from '../../../core/domain/secret-scrubber.js';

const PASSWORD = 's3cr3t-Pa55word!';
const scrubber = new SecretScrubber([PASSWORD, `robot:${PASSWORD}`, 'xoxb-1234-abcd', undefined]);

describe('SecretScrubber', () => {
  it.each([
    ['as it is', `login with ${PASSWORD} now`],
    ['base64', `auth: ${Buffer.from(PASSWORD).toString('base64')}`],
    ['base64url', `t=${Buffer.from(PASSWORD).toString('base64url')}`],
    ['hex', `key 0x${Buffer.from(PASSWORD).toString('hex')}`],
    ['upper-case hex', `KEY ${Buffer.from(PASSWORD).toString('hex').toUpperCase()}`],
    ['URL-encoded', `https://robot:${encodeURIComponent(PASSWORD)}@registry`],
    [
      'base64 of user:password (a Basic header)',
      `Authorization: Basic ${Buffer.from(`robot:${PASSWORD}`).toString('base64')}`,
    ],
    ['split over two lines', `password: ${PASSWORD.slice(0, 7)}\n${PASSWORD.slice(7)}`],
    [
      'wrapped base64',
      `${Buffer.from(PASSWORD).toString('base64').slice(0, 10)}\r\n${Buffer.from(PASSWORD).toString('base64').slice(10)}`,
    ],
  ])('removes a secret printed %s', (_form, text) => {
    const scrubbed = new SecretScrubber([PASSWORD]).scrub(text);
    expect(scrubbed).toContain('[redacted]');
    expect(scrubbed.replace(/\r?\n/g, '')).not.toContain(PASSWORD);
    expect(scrubbed).not.toContain(Buffer.from(PASSWORD).toString('hex'));
    expect(scrubbed).not.toContain(Buffer.from(PASSWORD).toString('base64').slice(4, -4));
  });

  it('finds a secret inside a longer base64 text, at any alignment', () => {
    for (const prefix of ['', 'a', 'ab', 'abc', '{"auths":{"r":{"auth":"']) {
      const stream = Buffer.from(`${prefix}robot:${PASSWORD}"}}}`).toString('base64');
      const scrubbed = new SecretScrubber([PASSWORD]).scrub(stream);
      expect(scrubbed).toContain('[redacted]');
      // Every character that depends on the password's bytes alone is gone (a few at each
      // edge also depend on the bytes around it).
      const at = Buffer.byteLength(`${prefix}robot:`);
      const secretOnly = stream.slice(
        Math.ceil(at / 3) * 4,
        Math.floor((at + Buffer.byteLength(PASSWORD)) / 3) * 4,
      );
      expect(secretOnly.length).toBeGreaterThan(12);
      expect(scrubbed).not.toContain(secretOnly);
    }
  });

  it('leaves text without secrets as it is, and does not match short forms in ordinary text', () => {
    const text = 'npm test\n1 test passed\nrobot logged in';
    expect(scrubber.scrub(text)).toBe(text);
  });

  it('replaces a secret containing another whole', () => {
    expect(scrubber.scrub(`robot:${PASSWORD}`)).toBe('[redacted]');
  });

  it('scrubs the same through scrubbers that share one set of secrets, used in turn', () => {
    const secrets = ['first-secret-1', 'second-secret-2'];
    const [a, b] = [new SecretScrubber(secrets), new SecretScrubber([...secrets])];
    const text = 'first-secret-1 then second-secret-2 then first-secret-1';
    for (const scrubber of [a, b, a, b]) {
      expect(scrubber.scrub(text)).toBe('[redacted] then [redacted] then [redacted]');
    }
  });

  it('keeps sets of secrets apart, also past the patterns it keeps built', () => {
    const sets = Array.from({ length: 40 }, (_, i) => [`secret-number-${String(i)}`]);
    for (const round of [1, 2]) {
      sets.forEach(([secret = ''], i) => {
        const other = `secret-number-${String((i + round) % sets.length)}`;
        expect(new SecretScrubber([secret]).scrub(`${secret} ${other}`)).toBe(
          `[redacted] ${other}`,
        );
      });
    }
  });

  it('follows the secrets as they are when built, not an earlier scrubber of the same array', () => {
    const secrets: string[] = ['old-secret-value'];
    expect(new SecretScrubber(secrets).scrub('new-secret-value')).toBe('new-secret-value');
    secrets.push('new-secret-value');
    expect(new SecretScrubber(secrets).scrub('new-secret-value')).toBe('[redacted]');
  });
});
