/**
 * How Slack's inbound requests reach the app: over HTTP to its request URL, signed, or as Socket
 * Mode envelopes over the app's WebSocket. The inbound client builds the payloads once and hands
 * them to either transport; both answer in the shape an HTTP request would.
 */
import { unixSeconds, type Clock } from './clock.js';
import { signingHeaders, type SigningOptions } from './inbound-signer.js';
import type { JsonObject } from './json.js';

export interface DeliveryOptions {
  /** HTTP only: how the request is signed. */
  signing?: SigningOptions;
  /** Marks a redelivery: `X-Slack-Retry-*` headers over HTTP, `retry_attempt` in an envelope. */
  retry?: { num: number; reason: string };
}

export interface InboundResponse {
  /**
   * The app's HTTP status (200 for an acknowledged envelope), or 0 when it did not answer in time
   * or could not be reached (no open Socket Mode connection).
   */
  status: number;
  /** The answer: the HTTP body, or the envelope acknowledgement's payload as JSON. */
  body: string;
  contentType?: string;
  timedOut: boolean;
  /** Why the app could not be reached (status 0 without a timeout), to tell in a failure. */
  error?: string;
  /** Exactly what was sent, for checking with a verifier or sending again. */
  sent: { body: string; headers: Record<string, string> };
  /** Socket Mode: the envelope's id. */
  envelopeId?: string;
}

export type InboundKind = 'slash_commands' | 'interactive' | 'events_api';

export interface InboundTransport {
  deliver(
    kind: InboundKind,
    payload: JsonObject,
    options: DeliveryOptions,
  ): Promise<InboundResponse>;
  /** Sends again exactly what an earlier delivery sent (its `sent.body`). */
  resend(body: string, options: DeliveryOptions): Promise<InboundResponse>;
}

export interface HttpTransportOptions {
  requestUrl: string;
  signingSecret: string;
  clock: Clock;
  ackTimeoutMs: number;
}

/** Slash commands as a form, interactions as `payload=<json>`, events as JSON; all signed. */
export class HttpTransport implements InboundTransport {
  constructor(private readonly options: HttpTransportOptions) {}

  async deliver(
    kind: InboundKind,
    payload: JsonObject,
    options: DeliveryOptions,
  ): Promise<InboundResponse> {
    if (kind === 'events_api') {
      return this.post(JSON.stringify(payload), 'application/json', options);
    }
    const form =
      kind === 'slash_commands'
        ? new URLSearchParams(
            Object.entries(payload).map(([key, value]): [string, string] => [
              key,
              typeof value === 'string' ? value : JSON.stringify(value ?? ''),
            ]),
          )
        : new URLSearchParams({ payload: JSON.stringify(payload) });
    return this.post(form.toString(), 'application/x-www-form-urlencoded', options);
  }

  async resend(body: string, options: DeliveryOptions): Promise<InboundResponse> {
    const type = body.startsWith('{') ? 'application/json' : 'application/x-www-form-urlencoded';
    return this.post(body, type, options);
  }

  private async post(
    body: string,
    contentType: string,
    options: DeliveryOptions,
  ): Promise<InboundResponse> {
    const headers: Record<string, string> = {
      'content-type': contentType,
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...signingHeaders(
        this.options.signingSecret,
        unixSeconds(this.options.clock),
        body,
        options.signing,
      ),
    };
    if (options.retry !== undefined) {
      headers['x-slack-retry-num'] = String(options.retry.num);
      headers['x-slack-retry-reason'] = options.retry.reason;
    }
    const sent = { body, headers };
    try {
      const response = await fetch(this.options.requestUrl, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(this.options.ackTimeoutMs),
      });
      const answered = response.headers.get('content-type');
      return {
        status: response.status,
        body: await response.text(),
        ...(answered === null ? {} : { contentType: answered }),
        timedOut: false,
        sent,
      };
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      const cause = error instanceof Error ? error.cause : undefined;
      const reason = [error, cause]
        .filter((part) => part !== undefined)
        .map((part) =>
          part instanceof Error ? `${part.name}: ${part.message}` : JSON.stringify(part),
        )
        .join(' ← ');
      return { status: 0, body: '', timedOut, ...(timedOut ? {} : { error: reason }), sent };
    }
  }
}
