/**
 * Slack's request signing: `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:{timestamp}:{body}">`
 * keyed with the app's signing secret, and `X-Slack-Request-Timestamp` in Unix seconds.
 */
import { createHmac } from 'node:crypto';

export function slackSignature(
  signingSecret: string,
  timestampSeconds: number,
  body: string,
): string {
  const digest = createHmac('sha256', signingSecret)
    .update(`v0:${timestampSeconds}:${body}`)
    .digest('hex');
  return `v0=${digest}`;
}

export interface SigningOptions {
  /** `valid` (default), `forged` (signed with a wrong secret) or `missing` (no signature header). */
  signature?: 'valid' | 'forged' | 'missing';
  /**
   * Seconds added to the clock for the timestamp header; `-(5 * 60 + 1)` makes a stale request
   * that a verifier must refuse.
   */
  timestampOffsetSeconds?: number;
  /** Leave out the timestamp header altogether. */
  omitTimestamp?: boolean;
}

export const STALE_OFFSET_SECONDS = -(5 * 60 + 1);

export function signingHeaders(
  signingSecret: string,
  nowSeconds: number,
  body: string,
  options: SigningOptions = {},
): Record<string, string> {
  const timestamp = nowSeconds + (options.timestampOffsetSeconds ?? 0);
  const headers: Record<string, string> = {};
  if (options.omitTimestamp !== true) headers['x-slack-request-timestamp'] = String(timestamp);
  const mode = options.signature ?? 'valid';
  if (mode !== 'missing') {
    const secret = mode === 'forged' ? `${signingSecret}-forged` : signingSecret;
    headers['x-slack-signature'] = slackSignature(secret, timestamp, body);
  }
  return headers;
}
