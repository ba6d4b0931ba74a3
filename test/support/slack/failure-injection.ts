/**
 * Failures a test asks for on any Web API method: Slack down (HTTP 500/503), an answer later than
 * 3 seconds, a revoked token, a missing scope, a rate limit. Each injection is used `times` times
 * (once by default) on the calls to its method (`*`: any method), then the double answers as usual.
 */

export type InjectedFailure =
  'http_500' | 'http_503' | 'slow' | 'token_revoked' | 'missing_scope' | 'ratelimited';

export interface InjectionInput {
  /** A Web API method, or `*` for every method. */
  method: string;
  failure: InjectedFailure;
  /** How many calls it applies to; `Infinity` for all. */
  times?: number;
  /** For `slow`: how long the answer takes (the answer itself is the usual one). */
  delayMs?: number;
  /** For `ratelimited`: the Retry-After header. */
  retryAfterSeconds?: number;
  /** For `missing_scope`: the scope named in `needed`; the method's own by default. */
  needed?: string;
}

export interface Injection extends Required<Omit<InjectionInput, 'needed'>> {
  needed?: string;
  /** Calls answered with this failure so far. */
  used: number;
}

/** Slack's answer to a call that takes longer than this is given up on by the caller. */
export const SLOW_ANSWER_MS = 3500;

export class FailureInjector {
  readonly injections: Injection[] = [];

  inject(input: InjectionInput): Injection {
    const injection: Injection = {
      method: input.method,
      failure: input.failure,
      times: input.times ?? 1,
      delayMs: input.delayMs ?? SLOW_ANSWER_MS,
      retryAfterSeconds: input.retryAfterSeconds ?? 1,
      ...(input.needed === undefined ? {} : { needed: input.needed }),
      used: 0,
    };
    this.injections.push(injection);
    return injection;
  }

  /** The injection that applies to this call, counted as used; none when nothing is pending. */
  take(method: string): Injection | undefined {
    const injection = this.injections.find(
      (i) => (i.method === method || i.method === '*') && i.used < i.times,
    );
    if (injection !== undefined) injection.used += 1;
    return injection;
  }

  clear(): void {
    this.injections.length = 0;
  }
}
