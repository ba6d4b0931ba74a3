import { DeployError } from '../domain/deploy-error.js';

export interface HistoryEntry {
  revision: number;
  updated?: string;
  status: string;
  chart: string;
  app_version: string;
  description: string;
}

export interface ReleaseJson {
  name: string;
  namespace: string;
  version: number;
  info: { status: string; description: string };
}

export function parseJson(stdout: string, what: string): unknown {
  try {
    return JSON.parse(stdout) as unknown;
  } catch (error) {
    throw new DeployError('HELM_FAILED', `${what} printed something that is not JSON`, {
      cause: error,
    });
  }
}

export function revisionOf(stdout: string, what: string): number {
  const release = parseJson(stdout, what) as Partial<ReleaseJson>;
  if (typeof release.version !== 'number') {
    throw new DeployError('HELM_FAILED', `${what} did not say which revision it made`);
  }
  return release.version;
}
