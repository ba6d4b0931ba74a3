import type { ReleaseRef } from '../domain/catalog.js';
import { DeployError } from '../domain/deploy-error.js';

/** Keys for --set-string: chart value paths, never user text. */
const VALUE_PATH = /^[A-Za-z0-9_.-]+$/;
/** helm's own rule for release names (at most 53 characters). */
const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A namespace is a DNS label. */
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** --namespace, --kube-context and --kubeconfig, after checking the names. */
export function releaseArgs(ref: ReleaseRef, kubeconfig: string | undefined): string[] {
  if (ref.release.length > 53 || !RELEASE_NAME.test(ref.release)) {
    throw new DeployError(
      'CONFIG_INVALID',
      `${JSON.stringify(ref.release)} is not a Helm release name (at most 53 lower-case letters, digits, '-' or '.')`,
    );
  }
  if (!NAMESPACE.test(ref.namespace)) {
    throw new DeployError(
      'CONFIG_INVALID',
      `${JSON.stringify(ref.namespace)} is not a Kubernetes namespace name (at most 63 lower-case letters, digits or '-')`,
    );
  }
  return [
    `--namespace=${ref.namespace}`,
    ...(ref.kubeContext === undefined ? [] : [`--kube-context=${ref.kubeContext}`]),
    ...(kubeconfig === undefined ? [] : [`--kubeconfig=${kubeconfig}`]),
  ];
}

/** --values and --set-string arguments, with value paths checked and values escaped. */
export function valueArgs(request: {
  valuesFiles?: readonly string[];
  setStrings?: Readonly<Record<string, string>>;
}): string[] {
  const args: string[] = [];
  for (const file of request.valuesFiles ?? []) args.push('--values', file);
  for (const [key, value] of Object.entries(request.setStrings ?? {})) {
    if (!VALUE_PATH.test(key)) throw new Error(`not a chart value path: ${JSON.stringify(key)}`);
    // A comma or backslash would split or escape helm's key=value list.
    args.push('--set-string', `${key}=${value.replace(/([\\,])/g, '\\$1')}`);
  }
  return args;
}

export function timeoutArgs(timeoutMs: number): string[] {
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new Error(`not a time limit: ${timeoutMs} ms`);
  }
  return ['--timeout', `${Math.ceil(timeoutMs / 1000)}s`];
}
