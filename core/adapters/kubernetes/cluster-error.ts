import { ApiException } from '@kubernetes/client-node';
import { DeployError } from '../../domain/deploy-error.js';
import { SecretScrubber } from '../../domain/secret-scrubber.js';

/** Where a request went and what it was for, to say so when it fails. */
export interface RequestScope {
  /** The API server URL from the kubeconfig. */
  server: string;
  /** The kubeconfig context used. */
  context: string;
  /** What Harbormaster was doing, e.g. `listing pods of release web in namespace prod`. */
  what: string;
  /** Strings never to repeat in a message: the kubeconfig user's token and password. */
  secrets?: readonly string[];
  /** How long a request may take before Harbormaster gives up on it. */
  timeoutMs?: number;
}

/** Socket error codes (from Node and node-fetch) in words. */
const NETWORK_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ETIMEDOUT: 'connection timed out',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

/** TLS verification failures from Node, which say the kubeconfig's certificate data is wrong. */
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The API server URL without any user:password part, safe to show. */
export function displayServer(server: string): string {
  try {
    const url = new URL(server);
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return server;
  }
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function stringField(value: unknown, key: string): string | undefined {
  const found = field(value, key);
  return typeof found === 'string' && found !== '' ? found : undefined;
}

/** The `message` of the Kubernetes Status object an API error carries, when it has one. */
function statusMessage(body: unknown): string | undefined {
  if (typeof body === 'string') {
    try {
      return stringField(JSON.parse(body), 'message');
    } catch {
      return undefined;
    }
  }
  return stringField(body, 'message');
}

const HTTP_REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function httpStatus(code: number): string {
  const reason = HTTP_REASONS[code];
  return reason === undefined ? String(code) : `${code} ${reason}`;
}

function apiMessage(error: ApiException<unknown>, scope: RequestScope, at: string): string {
  const detail = statusMessage(error.body);
  const said = detail === undefined ? '' : `: ${detail}`;
  switch (error.code) {
    case 401:
      return `the Kubernetes API ${at} refused Harbormaster's credentials (401 Unauthorized) while ${scope.what}; check the user of context ${scope.context} in the kubeconfig: its token or client certificate is wrong or has expired`;
    case 403:
      return `the Kubernetes API ${at} refused Harbormaster's credentials (403 Forbidden) while ${scope.what}${said}; give Harbormaster's user get and list on pods, services and ingresses in the namespace, and list on nodes`;
    default:
      return `the Kubernetes API ${at} answered ${httpStatus(error.code)} while ${scope.what}${said}`;
  }
}

function networkReason(error: unknown, scope: RequestScope): string | undefined {
  const name = field(error, 'name');
  if (name === 'AbortError') {
    return scope.timeoutMs === undefined
      ? 'the request was aborted'
      : `no answer within ${scope.timeoutMs / 1000}s`;
  }
  if (name !== 'FetchError') return undefined;
  const code = stringField(error, 'code');
  if (code !== undefined) {
    const reason = NETWORK_REASONS[code];
    if (reason !== undefined) return reason;
    if (TLS_CODES.has(code)) {
      return `its TLS certificate was not accepted (${code}); check certificate-authority-data of the cluster in the kubeconfig`;
    }
  }
  // node-fetch: "request to <url> failed, reason: <what the socket said>"
  const message = error instanceof Error ? error.message : '';
  const reasonAt = message.indexOf('reason: ');
  return reasonAt === -1 ? message : message.slice(reasonAt + 'reason: '.length);
}

/**
 * Any failure of a Kubernetes request, as a DeployError a person can act on: the server and
 * context, what went wrong, and what to check. Never repeats the credentials.
 */
export function clusterError(error: unknown, scope: RequestScope): DeployError {
  if (error instanceof DeployError) return error;
  const at = `at ${displayServer(scope.server)} (context ${scope.context})`;
  let message: string;
  if (error instanceof ApiException) {
    message = apiMessage(error as ApiException<unknown>, scope, at);
  } else {
    const reason = networkReason(error, scope);
    if (reason !== undefined) {
      message = `cannot reach the Kubernetes API ${at}: ${reason}`;
    } else {
      const detail = error instanceof Error ? error.message : String(error);
      message = `the Kubernetes request ${at} failed while ${scope.what}: ${detail}`;
    }
  }
  return new DeployError(
    'CLUSTER_UNAVAILABLE',
    new SecretScrubber(scope.secrets ?? []).scrub(message),
    {
      cause: error,
    },
  );
}
