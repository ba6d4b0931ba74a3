import { AbortError, ApiException, FetchError } from '@kubernetes/client-node';
import { clusterError, displayServer } from '../../../core/adapters/kubernetes/cluster-error.js';
import { DeployError } from '../../../core/domain/deploy-error.js';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.secret-token';

const scope = {
  server: 'https://k8s.example:6443',
  context: 'prod',
  what: 'listing pods of release web in namespace shop',
  secrets: [TOKEN],
  timeoutMs: 15_000,
};

function status(code: number, reason: string, message: string): string {
  return JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    message,
    reason,
    code,
  });
}

function systemError(code: string): FetchError {
  const url = 'https://k8s.example:6443/api/v1/namespaces/shop/pods';
  return new FetchError(
    `request to ${url} failed, reason: connect ${code} 10.0.0.1:6443`,
    'system',
    {
      code,
      errno: code,
    } as unknown as Error,
  );
}

describe('clusterError', () => {
  it('says the API cannot be reached, and why', () => {
    const refused = clusterError(systemError('ECONNREFUSED'), scope);
    expect(refused).toBeInstanceOf(DeployError);
    expect(refused.code).toBe('CLUSTER_UNAVAILABLE');
    expect(refused.retryable).toBe(true);
    expect(refused.message).toBe(
      'cannot reach the Kubernetes API at https://k8s.example:6443 (context prod): connection refused',
    );
    expect(clusterError(systemError('ENOTFOUND'), scope).message).toMatch(/: host not found$/);
    expect(clusterError(systemError('EWHATEVER'), scope).message).toMatch(
      /: connect EWHATEVER 10\.0\.0\.1:6443$/,
    );
    expect(clusterError(systemError('CERT_HAS_EXPIRED'), scope).message).toContain(
      'its TLS certificate was not accepted (CERT_HAS_EXPIRED)',
    );
  });

  it('says how long it waited when a request timed out', () => {
    expect(clusterError(new AbortError('The user aborted a request.'), scope).message).toBe(
      'cannot reach the Kubernetes API at https://k8s.example:6443 (context prod): no answer within 15s',
    );
  });

  it('says the credentials were refused (401), and what to check', () => {
    const error = clusterError(new ApiException(401, 'Unauthorized', undefined, {}), scope);
    expect(error.message).toBe(
      "the Kubernetes API at https://k8s.example:6443 (context prod) refused Harbormaster's credentials (401 Unauthorized) while listing pods of release web in namespace shop; check the user of context prod in the kubeconfig: its token or client certificate is wrong or has expired",
    );
  });

  it('says what is forbidden (403), from the Status message', () => {
    const body = status(
      403,
      'Forbidden',
      'pods is forbidden: User "system:serviceaccount:ci:harbormaster" cannot list resource "pods" in API group "" in the namespace "shop"',
    );
    const error = clusterError(new ApiException(403, 'Forbidden', body, {}), scope);
    expect(error.message).toBe(
      `the Kubernetes API at https://k8s.example:6443 (context prod) refused Harbormaster's credentials (403 Forbidden) while listing pods of release web in namespace shop: pods is forbidden: User "system:serviceaccount:ci:harbormaster" cannot list resource "pods" in API group "" in the namespace "shop"; give Harbormaster's user get and list on pods, services and ingresses in the namespace, and list on nodes`,
    );
  });

  it('passes on any other answer with its status', () => {
    const body = status(503, 'ServiceUnavailable', 'etcdserver: leader changed');
    expect(clusterError(new ApiException(503, 'x', body, {}), scope).message).toBe(
      'the Kubernetes API at https://k8s.example:6443 (context prod) answered 503 Service Unavailable while listing pods of release web in namespace shop: etcdserver: leader changed',
    );
  });

  it('never repeats a credential, and keeps the cause', () => {
    const cause = new Error(`exec plugin printed ${TOKEN}`);
    const error = clusterError(cause, scope);
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).toContain('[redacted]');
    expect(error.cause).toBe(cause);
    expect(displayServer('https://admin:hunter2@k8s.example:6443/')).toBe(
      'https://k8s.example:6443',
    );
  });

  it('leaves a DeployError as it is', () => {
    const original = new DeployError('CLUSTER_UNAVAILABLE', 'already explained');
    expect(clusterError(original, scope)).toBe(original);
  });
});
