/**
 * One Web API call, checked in the order the double applies Slack's rules: the token
 * (`not_authed`, `invalid_auth`, `not_allowed_token_type`), any failure the test injected, the
 * method's scope (`missing_scope` with `needed` and `provided`), the rate limit (HTTP 429 with
 * `Retry-After`), then the method itself (HTTP 200, `ok:false` for its errors).
 */
import { SlackApiError } from '../errors.js';
import type { FailureInjector, Injection } from '../failure-injection.js';
import type { Args } from '../http.js';
import type { JsonObject } from '../json.js';
import type { RateLimiter } from '../rate-limiter.js';
import type { TokenBook, TokenGrant } from '../tokens.js';
import type { Workspace } from '../workspace.js';
import type { MethodSpec } from './methods.js';

export interface ApiAnswer {
  status: number;
  body: JsonObject;
  headers: Record<string, string>;
  /** Answer only after this long (an injected slow answer). */
  delayMs?: number;
  injected?: Injection['failure'];
}

export interface DispatchContext {
  ws: Workspace;
  tokens: TokenBook;
  rateLimiter: RateLimiter;
  injector: FailureInjector;
}

export interface ApiRequest {
  method: string;
  spec: MethodSpec;
  args: Args;
  token: string | undefined;
}

function scopeHeaders(grant: TokenGrant, spec: MethodSpec): Record<string, string> {
  return {
    'x-oauth-scopes': [...grant.scopes].join(','),
    'x-accepted-oauth-scopes': spec.scopes.join(','),
  };
}

function missingScope(grant: TokenGrant, needed: string): JsonObject {
  return {
    ok: false,
    error: 'missing_scope',
    needed,
    provided: [...grant.scopes].join(','),
  };
}

/** The answer an injected failure calls for; `undefined` for a slow answer, which goes on. */
function injectedAnswer(
  injection: Injection,
  request: ApiRequest,
  grant: TokenGrant,
  context: DispatchContext,
): ApiAnswer | undefined {
  const headers = scopeHeaders(grant, request.spec);
  const failure = injection.failure;
  switch (failure) {
    case 'slow':
      return undefined;
    case 'http_500':
      return { status: 500, body: { ok: false, error: 'internal_error' }, headers };
    case 'http_503':
      return { status: 503, body: { ok: false, error: 'service_unavailable' }, headers };
    case 'token_revoked':
      return { status: 200, body: { ok: false, error: 'token_revoked' }, headers };
    case 'missing_scope': {
      const needed = injection.needed ?? request.spec.scopes.join(',');
      return { status: 200, body: missingScope(grant, needed), headers };
    }
    case 'ratelimited': {
      const channel = typeof request.args.channel === 'string' ? request.args.channel : undefined;
      context.rateLimiter.limited.push({
        method: request.method,
        ...(channel === undefined ? {} : { channel }),
        retryAfterSeconds: injection.retryAfterSeconds,
        at: context.ws.clock.now(),
        injected: true,
      });
      return {
        status: 429,
        body: { ok: false, error: 'ratelimited' },
        headers: { ...headers, 'retry-after': String(injection.retryAfterSeconds) },
      };
    }
  }
}

export function dispatch(request: ApiRequest, context: DispatchContext): ApiAnswer {
  const { spec, method, args } = request;
  if (request.token === undefined) {
    return { status: 200, body: { ok: false, error: 'not_authed' }, headers: {} };
  }
  const grant = context.tokens.lookup(request.token);
  if (grant === undefined) {
    return { status: 200, body: { ok: false, error: 'invalid_auth' }, headers: {} };
  }
  const headers = scopeHeaders(grant, spec);
  if (grant.kind !== spec.token) {
    return { status: 200, body: { ok: false, error: 'not_allowed_token_type' }, headers };
  }
  const injection = context.injector.take(method);
  let delayMs: number | undefined;
  if (injection !== undefined) {
    const answer = injectedAnswer(injection, request, grant, context);
    if (answer !== undefined) return { ...answer, injected: injection.failure };
    delayMs = injection.delayMs;
  }
  const slow = delayMs === undefined ? {} : { delayMs, injected: 'slow' as const };
  if (spec.scopes.length > 0 && !spec.scopes.some((scope) => grant.scopes.has(scope))) {
    return { status: 200, body: missingScope(grant, spec.scopes.join(',')), headers, ...slow };
  }
  const channel = typeof args.channel === 'string' ? args.channel : undefined;
  const decision = context.rateLimiter.check(method, channel);
  if (decision.limited) {
    return {
      status: 429,
      body: { ok: false, error: 'ratelimited' },
      headers: { ...headers, 'retry-after': String(decision.retryAfterSeconds) },
      ...slow,
    };
  }
  try {
    return {
      status: 200,
      body: { ok: true, ...spec.handler({ args, ws: context.ws, grant }) },
      headers,
      ...slow,
    };
  } catch (error) {
    if (!(error instanceof SlackApiError)) throw error;
    return {
      status: 200,
      body: { ok: false, error: error.code, ...error.extra },
      headers,
      ...slow,
    };
  }
}
