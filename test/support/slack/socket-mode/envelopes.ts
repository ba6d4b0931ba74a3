/**
 * Socket Mode envelopes: each payload Slack sends carries an `envelope_id` that the app must
 * acknowledge (`{envelope_id, payload?}`) within 3 seconds. An envelope nobody acknowledged in
 * time is recorded; an Events API envelope is then retried as Slack retries events (up to three
 * times, with `retry_attempt` and `retry_reason`), a slash command or an interaction is not.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { JsonObject } from '../json.js';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface EnvelopeRecord {
  envelopeId: string;
  type: EnvelopeType;
  payload: JsonObject;
  acceptsResponsePayload: boolean;
  retryAttempt: number;
  retryReason: string;
  /** The connection it went out on; none when no connection was open. */
  connectionId?: string;
  sentAt: number;
  ackedAt?: number;
  /** The acknowledgement's payload, when it had one. */
  ackPayload?: JsonObject;
  /** Acknowledged after the deadline (Slack had already given up on it). */
  late?: boolean;
  /** Not acknowledged within the deadline, or never sent for want of a connection. */
  missed?: 'timeout' | 'no_connection';
}

export type EnvelopeOutcome =
  | { kind: 'acked'; record: EnvelopeRecord }
  | { kind: 'timeout' | 'no_connection'; record: EnvelopeRecord };

/** Where envelopes go: the open connection the server picks, if any. */
export interface EnvelopeSink {
  pick(): { id: string; send(frame: JsonObject): void } | undefined;
}

export interface EnvelopeOptions {
  ackTimeoutMs: number;
  /** Delays before each Events API retry; Slack documents "nearly immediately, 1 min, 5 min". */
  eventRetryDelaysMs: readonly number[];
}

/** Slack's retry_reason for an event whose envelope was not acknowledged (not documented). */
export const UNACKED_RETRY_REASON = 'timeout';

interface Pending {
  record: EnvelopeRecord;
  resolve: (outcome: EnvelopeOutcome) => void;
  timer: NodeJS.Timeout;
}

export class EnvelopeBook {
  readonly records: EnvelopeRecord[] = [];
  private readonly pending = new Map<string, Pending>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly sink: EnvelopeSink,
    private readonly clock: Clock,
    private readonly options: EnvelopeOptions,
  ) {}

  /** Sends one envelope and resolves when it is acknowledged, late, or undeliverable. */
  async send(
    type: EnvelopeType,
    payload: JsonObject,
    retry: { attempt: number; reason: string } = { attempt: 0, reason: '' },
  ): Promise<EnvelopeOutcome> {
    const record: EnvelopeRecord = {
      envelopeId: randomUUID(),
      type,
      payload,
      acceptsResponsePayload: type !== 'events_api',
      retryAttempt: retry.attempt,
      retryReason: retry.reason,
      sentAt: this.clock.now(),
    };
    this.records.push(record);
    const connection = this.sink.pick();
    if (connection === undefined) {
      record.missed = 'no_connection';
      this.scheduleRetry(record);
      return { kind: 'no_connection', record };
    }
    record.connectionId = connection.id;
    const outcome = new Promise<EnvelopeOutcome>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(record.envelopeId);
        record.missed = 'timeout';
        this.scheduleRetry(record);
        resolve({ kind: 'timeout', record });
      }, this.options.ackTimeoutMs);
      this.pending.set(record.envelopeId, { record, resolve, timer });
    });
    connection.send({
      envelope_id: record.envelopeId,
      payload,
      type,
      accepts_response_payload: record.acceptsResponsePayload,
      ...(type === 'events_api'
        ? { retry_attempt: record.retryAttempt, retry_reason: record.retryReason }
        : {}),
    });
    return outcome;
  }

  /** An acknowledgement from the app; false when it names no envelope the double sent. */
  ack(envelopeId: string, payload: JsonObject | undefined): boolean {
    const pending = this.pending.get(envelopeId);
    const record = pending?.record ?? this.records.find((r) => r.envelopeId === envelopeId);
    if (record === undefined) return false;
    record.ackedAt = this.clock.now();
    if (payload !== undefined && Object.keys(payload).length > 0) record.ackPayload = payload;
    if (pending === undefined) {
      record.late = true;
      return true;
    }
    clearTimeout(pending.timer);
    this.pending.delete(envelopeId);
    pending.resolve({ kind: 'acked', record });
    return true;
  }

  /** Envelopes Slack gave up on: not acknowledged in time, or never delivered. */
  get missed(): EnvelopeRecord[] {
    return this.records.filter((r) => r.missed !== undefined);
  }

  close(): void {
    for (const { timer, record, resolve } of this.pending.values()) {
      clearTimeout(timer);
      record.missed = 'timeout';
      resolve({ kind: 'timeout', record });
    }
    this.pending.clear();
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
  }

  private scheduleRetry(record: EnvelopeRecord): void {
    if (record.type !== 'events_api') return;
    const delay = this.options.eventRetryDelaysMs[record.retryAttempt];
    if (delay === undefined) return;
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      void this.send(record.type, record.payload, {
        attempt: record.retryAttempt + 1,
        reason: UNACKED_RETRY_REASON,
      });
    }, delay);
    this.retryTimers.add(timer);
  }
}
