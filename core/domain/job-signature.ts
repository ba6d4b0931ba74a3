import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { deployRequestSchema, type DeployRequest } from './deploy-request.js';
import { slackChannelId } from './names.js';

/** The field of a job's data that holds its signature; everything else is what is signed. */
export const SIGNATURE_FIELD = 'signature';

const VERSION = 'v1';

/** A deploy request as it is queued: the request and its signature side by side. */
export type SignedDeployRequest = DeployRequest & { [SIGNATURE_FIELD]: string };

/** JSON with every object's keys sorted: one text per value, however it was built or stored. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function mac(payload: unknown, key: string): string {
  return `${VERSION}=${createHmac('sha256', key).update(canonicalJson(payload)).digest('hex')}`;
}

/** The request with its HMAC-SHA256 under the job key (which never goes to Redis). */
export function signDeployRequest(request: DeployRequest, key: string): SignedDeployRequest {
  return { ...request, [SIGNATURE_FIELD]: mac(request, key) };
}

/**
 * Why a job is not run: no signature, a signature for another payload (or another key), not a
 * deploy request, a job id other than the one signed, older than a job may wait (queued again by
 * hand), or withdrawn by the bot because it could not confirm it in time.
 */
export type JobRefusal = 'unsigned' | 'forged' | 'unreadable' | 'replayed' | 'withdrawn';

/** A job asked for longer ago than this is not run: the bot forgets request ids after a day. */
export const MAX_JOB_AGE_MS = 24 * 3600 * 1000;

export type JobVerdict =
  { ok: true; request: DeployRequest } | { ok: false; refusal: JobRefusal; detail: string };

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * A job's data as the worker takes it: signed with the job key for exactly this payload, and a
 * deploy request by the shared schema. Anything else (written into Redis by hand, or changed
 * after the bot signed it) is refused.
 */
export function verifyDeployJob(data: unknown, key: string): JobVerdict {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, refusal: 'unreadable', detail: 'the job data is not an object' };
  }
  const { [SIGNATURE_FIELD]: signature, ...payload } = data as Record<string, unknown>;
  if (typeof signature !== 'string' || signature === '') {
    return { ok: false, refusal: 'unsigned', detail: 'the job carries no signature' };
  }
  if (!sameText(signature, mac(payload, key))) {
    return {
      ok: false,
      refusal: 'forged',
      detail: 'the signature does not match the job key and this payload',
    };
  }
  const parsed = deployRequestSchema.safeParse(payload);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') ?? '';
    return { ok: false, refusal: 'unreadable', detail: `not a deploy request (${field})` };
  }
  return { ok: true, request: parsed.data };
}

/**
 * The checks a verified request must still pass on the worker: it is the job it was signed as,
 * and it was asked for recently (a day, as long as the bot remembers request ids).
 */
export function checkJobIdentity(
  request: DeployRequest,
  jobId: string | undefined,
  now: Date,
): JobVerdict {
  if (jobId !== request.id) {
    return {
      ok: false,
      refusal: 'replayed',
      detail: `job ${jobId ?? '?'} carries request ${request.id}`,
    };
  }
  const age = now.getTime() - Date.parse(request.requestedAt);
  if (age > MAX_JOB_AGE_MS || age < -5 * 60_000) {
    return { ok: false, refusal: 'replayed', detail: `requested at ${request.requestedAt}` };
  }
  return { ok: true, request };
}

const pointerSchema = z.object({
  origin: z.object({
    channel: slackChannelId,
    message: z.string().min(1).max(64),
    workspace: z.string().max(64).optional(),
  }),
});

/**
 * The message a refused job points at, if it names one: where to say that it was refused. Read
 * leniently, since nothing else about such a job can be trusted.
 */
export function messagePointedAt(
  data: unknown,
): { channel: string; id: string; workspace: string } | undefined {
  const parsed = pointerSchema.safeParse(data);
  if (!parsed.success) return undefined;
  const { channel, message, workspace } = parsed.data.origin;
  return { channel, id: message, workspace: workspace ?? '' };
}
