/**
 * Per-method rate limits, configured by the test. Slack answers a call over its limit with
 * HTTP 429, a `Retry-After` header in seconds and `{"ok":false,"error":"ratelimited"}`.
 */
import type { Clock } from './clock.js';

export interface RateLimitRule {
  /** The Web API method, e.g. `chat.update`. */
  method: string;
  /** Calls allowed in one window. */
  limit: number;
  windowMs: number;
  /** What the Retry-After header says; by default the seconds left in the window, at least 1. */
  retryAfterSeconds?: number;
  /** Count per method (default) or per channel, like chat.postMessage's one-per-second-per-channel. */
  per?: 'method' | 'channel';
}

export interface RateLimitedCall {
  method: string;
  channel?: string;
  retryAfterSeconds: number;
  at: number;
}

interface Window {
  startedAt: number;
  count: number;
}

export type RateDecision = { limited: false } | { limited: true; retryAfterSeconds: number };

export class RateLimiter {
  private readonly rules = new Map<string, RateLimitRule>();
  private readonly windows = new Map<string, Window>();
  readonly limited: RateLimitedCall[] = [];

  constructor(private readonly clock: Clock) {}

  set(rule: RateLimitRule): void {
    if (!Number.isInteger(rule.limit) || rule.limit < 0) {
      throw new Error(`rate limit for ${rule.method} needs a whole number of calls`);
    }
    if (rule.windowMs <= 0) throw new Error(`rate limit for ${rule.method} needs a window`);
    this.rules.set(rule.method, rule);
    for (const key of this.windows.keys()) {
      if (key === rule.method || key.startsWith(`${rule.method}#`)) this.windows.delete(key);
    }
  }

  clear(method?: string): void {
    if (method === undefined) {
      this.rules.clear();
      this.windows.clear();
      return;
    }
    this.rules.delete(method);
  }

  /** Counts one call and says whether Slack would refuse it. */
  check(method: string, channel: string | undefined): RateDecision {
    const rule = this.rules.get(method);
    if (rule === undefined) return { limited: false };
    const perChannel = rule.per === 'channel' && channel !== undefined;
    const key = perChannel ? `${method}#${channel}` : method;
    const now = this.clock.now();
    let window = this.windows.get(key);
    if (window === undefined || now >= window.startedAt + rule.windowMs) {
      window = { startedAt: now, count: 0 };
      this.windows.set(key, window);
    }
    if (window.count < rule.limit) {
      window.count += 1;
      return { limited: false };
    }
    const left = Math.ceil((window.startedAt + rule.windowMs - now) / 1000);
    const retryAfterSeconds = rule.retryAfterSeconds ?? Math.max(1, left);
    this.limited.push({
      method,
      ...(perChannel ? { channel } : {}),
      retryAfterSeconds,
      at: now,
    });
    return { limited: true, retryAfterSeconds };
  }
}
