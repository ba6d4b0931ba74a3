/**
 * Inbound requests as Socket Mode envelopes. The acknowledgement is read as an HTTP answer
 * would be: acknowledged is status 200 with the ack's payload as a JSON body; not acknowledged
 * within the deadline is a timeout; no open connection is status 0 (Slack could not dispatch).
 */
import type {
  DeliveryOptions,
  InboundKind,
  InboundResponse,
  InboundTransport,
} from '../inbound-transport.js';
import { isJsonObject, parseJson } from '../json.js';
import type { EnvelopeBook, EnvelopeOutcome } from './envelopes.js';

export class SocketTransport implements InboundTransport {
  constructor(private readonly envelopes: EnvelopeBook) {}

  async deliver(
    kind: InboundKind,
    payload: Parameters<EnvelopeBook['send']>[1],
    options: DeliveryOptions,
  ): Promise<InboundResponse> {
    const retry =
      options.retry === undefined
        ? undefined
        : { attempt: options.retry.num, reason: options.retry.reason };
    return answerOf(await this.envelopes.send(kind, payload, retry));
  }

  /** Sends an earlier envelope's payload again, in a new envelope. */
  async resend(body: string, options: DeliveryOptions): Promise<InboundResponse> {
    const envelope = parseJson(body);
    if (!isJsonObject(envelope) || !isJsonObject(envelope.payload)) {
      throw new Error('resend takes the `sent.body` of an earlier Socket Mode delivery');
    }
    const kind = envelope.type;
    if (kind !== 'slash_commands' && kind !== 'interactive' && kind !== 'events_api') {
      throw new Error('cannot resend an envelope of an unknown type');
    }
    return this.deliver(kind, envelope.payload, options);
  }
}

function answerOf(outcome: EnvelopeOutcome): InboundResponse {
  const { record } = outcome;
  const sent = {
    body: JSON.stringify({
      envelope_id: record.envelopeId,
      payload: record.payload,
      type: record.type,
      accepts_response_payload: record.acceptsResponsePayload,
    }),
    headers: {},
  };
  const base = { sent, envelopeId: record.envelopeId };
  if (outcome.kind === 'acked') {
    const body = record.ackPayload === undefined ? '' : JSON.stringify(record.ackPayload);
    return { ...base, status: 200, body, contentType: 'application/json', timedOut: false };
  }
  return { ...base, status: 0, body: '', timedOut: outcome.kind === 'timeout' };
}
