/** Shorter forms than this are not looked for: they would match ordinary text. */
const MIN_FORM_LENGTH = 6;

/**
 * The base64 a secret takes inside a longer base64 text, at each of the three byte alignments it
 * may start at: only the characters that depend on the secret's bytes alone (a docker config's
 * `auth`, an `Authorization: Basic` header of `user:password`).
 */
function base64Cores(secret: Buffer, alphabet: 'base64' | 'base64url'): string[] {
  return [0, 1, 2].map((offset) => {
    const encoded = Buffer.concat([Buffer.alloc(offset), secret]).toString(alphabet);
    const start = offset === 0 ? 0 : 4;
    const end = Math.floor((offset + secret.length) / 3) * 4;
    return encoded.slice(start, end);
  });
}

/** Every form a program may print a secret in: as it is, base64, hex, URL-encoded. */
function formsOf(secret: string): string[] {
  const bytes = Buffer.from(secret);
  const hex = bytes.toString('hex');
  return [
    secret,
    bytes.toString('base64'),
    bytes.toString('base64url'),
    ...base64Cores(bytes, 'base64'),
    ...base64Cores(bytes, 'base64url'),
    hex,
    hex.toUpperCase(),
    encodeURIComponent(secret),
  ];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The form, found even when a line break splits it (wrapped base64, a long line folded). */
function splitLinePattern(form: string): string {
  return Array.from(form).map(escapeRegExp).join('(?:\\r?\\n)?');
}

/** The pattern that finds every form of `values`, or none when there is nothing to find. */
function patternOf(values: readonly string[]): RegExp | undefined {
  const forms = [...new Set(values.flatMap(formsOf))].filter(
    (form) => form.length >= MIN_FORM_LENGTH || values.includes(form),
  );
  // Longest first, so a secret containing another is replaced whole.
  forms.sort((a, b) => b.length - a.length);
  return forms.length === 0 ? undefined : new RegExp(forms.map(splitLinePattern).join('|'), 'g');
}

/**
 * Patterns already built, by their set of secrets: a worker scrubs every deploy with the same
 * secrets, and building the pattern (every form of every secret) cost more than most of a
 * deploy's own work. Sets of secrets are few (the configuration's, a kubeconfig's); the oldest
 * goes past this many.
 */
const PATTERNS_KEPT = 16;
const patterns = new Map<string, RegExp | undefined>();

function cachedPatternOf(values: readonly string[]): RegExp | undefined {
  const key = JSON.stringify(values);
  if (patterns.has(key)) return patterns.get(key);
  const pattern = patternOf(values);
  if (patterns.size >= PATTERNS_KEPT) {
    const oldest = patterns.keys().next();
    if (oldest.done !== true) patterns.delete(oldest.value);
  }
  patterns.set(key, pattern);
  return pattern;
}

/**
 * Replaces every occurrence of known secret values in free text (program output, errors): as
 * they are, base64 (also inside a longer base64 text, such as that of `user:password`), hex and
 * URL-encoded, each also when a line break splits it.
 */
export class SecretScrubber {
  private readonly pattern: RegExp | undefined;

  constructor(secrets: readonly (string | undefined)[]) {
    const values = secrets.filter(
      (secret): secret is string => secret !== undefined && secret.length >= 4,
    );
    this.pattern = cachedPatternOf(values);
  }

  scrub(text: string): string {
    // A global pattern shared by scrubbers: replace() starts it at 0 and leaves it there.
    return this.pattern === undefined ? text : text.replace(this.pattern, '[redacted]');
  }
}
