/**
 * Per-method rate limits. Slack answers a call over its limit with HTTP 429, a `Retry-After`
 * header in seconds and `{"ok":false,"error":"ratelimited"}`. Slack's own tiers are on by default
 * (rate-tiers.ts); a test that studies limits sets its own rules or turns them off.
 */
import type { Clock } from './clock.js';

export interface RateLimitRule {
  /** The Web API method, e.g. `chat.update`. */
  method: string;
  /** Calls allowed per window (the sustained rate when `burst` is set). */
  limit: number;
  windowMs: number;
  /**
   * With a burst the rule is a token bucket: up to `burst` calls at once, refilled at `limit` per
   * `windowMs`. Without, a fixed window: `limit` calls, then none until the window ends.
   */
  burst?: number;
  /** What the Retry-After header says; by default the seconds until a call fits, at least 1. */
  retryAfterSeconds?: number;
  /** Count per method (default) or per channel, like chat.postMessage's one-per-second-per-channel. */
  per?: 'method' | 'channel';
}

/** Turns one method's limits off, for a test that studies something else. */
export interface RateLimitOff {
  method: string;
  off: true;
}

export type RateLimitSetting = RateLimitRule | RateLimitOff;

export interface RateLimitedCall {
  method: string;
  channel?: string;
  retryAfterSeconds: number;
  at: number;
  /** Answered 429 by `slack.inject`, not by a limit. */
  injected?: boolean;
}

export type RateDecision = { limited: false } | { limited: true; retryAfterSeconds: number };

/** One counter: how long until a call fits (0: now), and counting one. */
interface Meter {
  waitMs(now: number): number;
  take(now: number): void;
}

class FixedWindow implements Meter {
  private startedAt = Number.NEGATIVE_INFINITY;
  private count = 0;

  constructor(private readonly rule: RateLimitRule) {}

  waitMs(now: number): number {
    if (now >= this.startedAt + this.rule.windowMs) return this.rule.limit > 0 ? 0 : Infinity;
    return this.count < this.rule.limit ? 0 : this.startedAt + this.rule.windowMs - now;
  }

  take(now: number): void {
    if (now >= this.startedAt + this.rule.windowMs) {
      this.startedAt = now;
      this.count = 0;
    }
    this.count += 1;
  }
}

class TokenBucket implements Meter {
  private tokens: number;
  private updatedAt: number | undefined;
  private readonly perMs: number;

  constructor(
    private readonly capacity: number,
    rule: RateLimitRule,
  ) {
    this.tokens = capacity;
    this.perMs = rule.limit / rule.windowMs;
  }

  private refill(now: number): void {
    if (this.updatedAt !== undefined) {
      this.tokens = Math.min(this.capacity, this.tokens + (now - this.updatedAt) * this.perMs);
    }
    this.updatedAt = now;
  }

  waitMs(now: number): number {
    this.refill(now);
    if (this.tokens >= 1) return 0;
    return this.perMs > 0 ? (1 - this.tokens) / this.perMs : Infinity;
  }

  take(now: number): void {
    this.refill(now);
    this.tokens -= 1;
  }
}

function validate(rule: RateLimitRule): void {
  if (!Number.isInteger(rule.limit) || rule.limit < 0) {
    throw new Error(`rate limit for ${rule.method} needs a whole number of calls`);
  }
  if (rule.windowMs <= 0) throw new Error(`rate limit for ${rule.method} needs a window`);
  if (rule.burst !== undefined && (!Number.isInteger(rule.burst) || rule.burst < 1)) {
    throw new Error(`rate limit for ${rule.method} needs a burst of at least 1`);
  }
}

export class RateLimiter {
  private readonly rules = new Map<string, RateLimitRule[]>();
  private readonly meters = new Map<string, Meter>();
  readonly limited: RateLimitedCall[] = [];

  constructor(private readonly clock: Clock) {}

  /** Replaces the rule's method's rules with this one. */
  set(rule: RateLimitRule): void {
    this.setRules(rule.method, [rule]);
  }

  /** Replaces a method's rules (several rules all apply: per channel and per workspace). */
  setRules(method: string, rules: readonly RateLimitRule[]): void {
    for (const rule of rules) validate(rule);
    this.rules.set(method, [...rules]);
    for (const key of this.meters.keys()) {
      if (key.startsWith(`${method}#`)) this.meters.delete(key);
    }
  }

  /** Applies settings in order: a rule replaces its method's rules, `off` removes them. */
  apply(settings: readonly RateLimitSetting[]): void {
    const byMethod = new Map<string, RateLimitRule[]>();
    for (const setting of settings) {
      if ('off' in setting) byMethod.set(setting.method, []);
      else byMethod.set(setting.method, [...(byMethod.get(setting.method) ?? []), setting]);
    }
    for (const [method, rules] of byMethod) this.setRules(method, rules);
  }

  clear(method?: string): void {
    if (method === undefined) {
      this.rules.clear();
      this.meters.clear();
      return;
    }
    this.setRules(method, []);
  }

  rulesFor(method: string): readonly RateLimitRule[] {
    return this.rules.get(method) ?? [];
  }

  /** Counts one call against every rule of its method, or refuses it without counting. */
  check(method: string, channel: string | undefined): RateDecision {
    const now = this.clock.now();
    const meters = this.rulesFor(method).map((rule, index) => {
      const perChannel = rule.per === 'channel' && channel !== undefined;
      const key = `${method}#${index}#${perChannel ? channel : ''}`;
      let meter = this.meters.get(key);
      if (meter === undefined) {
        meter =
          rule.burst === undefined ? new FixedWindow(rule) : new TokenBucket(rule.burst, rule);
        this.meters.set(key, meter);
      }
      return { rule, meter, perChannel };
    });
    for (const { rule, meter, perChannel } of meters) {
      const wait = meter.waitMs(now);
      if (wait === 0) continue;
      const seconds = Number.isFinite(wait) ? Math.ceil(wait / 1000) : 60;
      const retryAfterSeconds = rule.retryAfterSeconds ?? Math.max(1, seconds);
      this.limited.push({ method, ...(perChannel ? { channel } : {}), retryAfterSeconds, at: now });
      return { limited: true, retryAfterSeconds };
    }
    for (const { meter } of meters) meter.take(now);
    return { limited: false };
  }
}
