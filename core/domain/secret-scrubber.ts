/** Replaces every occurrence of known secret values in free text (program output, errors). */
export class SecretScrubber {
  private readonly secrets: string[];

  constructor(secrets: readonly (string | undefined)[]) {
    const values = secrets.filter(
      (secret): secret is string => secret !== undefined && secret.length >= 4,
    );
    // Programs print secrets as they are, base64-encoded (auth headers, docker config) or URL-encoded.
    const forms = values.flatMap((secret) => [
      secret,
      Buffer.from(secret).toString('base64'),
      encodeURIComponent(secret),
    ]);
    // Longest first, so a secret containing another is replaced whole.
    this.secrets = [...new Set(forms)].sort((a, b) => b.length - a.length);
  }

  scrub(text: string): string {
    let result = text;
    for (const secret of this.secrets) result = result.split(secret).join('[redacted]');
    return result;
  }
}
