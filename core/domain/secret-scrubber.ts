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
    const forms = [...new Set(values.flatMap(formsOf))].filter(
      (form) => form.length >= MIN_FORM_LENGTH || values.includes(form),
    );
    // Longest first, so a secret containing another is replaced whole.
    forms.sort((a, b) => b.length - a.length);
    this.pattern =
      forms.length === 0 ? undefined : new RegExp(forms.map(splitLinePattern).join('|'), 'g');
  }

  scrub(text: string): string {
    return this.pattern === undefined ? text : text.replace(this.pattern, '[redacted]');
  }
}
