import { DeployError } from '../domain/deploy-error.js';
import type {
  Helm,
  HelmRunControl,
  ReleaseRef,
  ReleaseRevision,
  ReleaseStatus,
  RollbackRequest,
  TemplateRequest,
  UpgradeInstallRequest,
} from '../ports/helm.js';
import { ProgramFailed, runProgram, tail } from './run-program.js';

export interface HelmCliOptions {
  /** The helm binary: a path or a name on PATH. */
  bin: string;
  kubeconfig?: string;
  /** Time limit of the short commands (version, template, history, status); 120 s by default. */
  timeoutMs?: number;
}

/** Keys for --set-string: chart value paths, never user text. */
const VALUE_PATH = /^[A-Za-z0-9_.-]+$/;
/** helm's own rule for release names (at most 53 characters). */
const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A namespace is a DNS label. */
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** What helm says, on stderr, about a release that does not exist. */
const RELEASE_NOT_FOUND = /^Error: release: not found$/m;
/** How long helm is given, after its own --timeout, to fail and record that before it is killed. */
const GRACE_MS = 10_000;

interface Run {
  args: string[];
  what: string;
  control?: HelmRunControl;
}

/** helm through execa, with argument lists only. */
export class HelmCli implements Helm {
  constructor(private readonly options: HelmCliOptions) {}

  async version(): Promise<string> {
    const { stdout } = await this.run({
      args: ['version', '--template', '{{ .Version }}'],
      what: 'helm version',
    });
    return stdout.trim();
  }

  async template(request: TemplateRequest): Promise<string> {
    const args = ['template', '--namespace', request.namespace];
    args.push(...valueArgs(request));
    args.push('--', request.release, request.chartPath);
    const { stdout } = await this.run({ args, what: `helm template ${request.release}` });
    return stdout;
  }

  async upgradeInstall(request: UpgradeInstallRequest): Promise<number> {
    const args = [
      'upgrade',
      '--install',
      '--create-namespace',
      ...this.releaseArgs(request),
      ...valueArgs(request),
      ...timeoutArgs(request.timeoutMs),
      '--output',
      'json',
      '--',
      request.release,
      request.chartPath,
    ];
    const onLine = request.onLine;
    const { stdout } = await this.run({
      args,
      what: `helm upgrade --install ${request.release}`,
      control: {
        ...request,
        // The release, as JSON on one line, is for revisionOf, not for people.
        ...(onLine
          ? {
              onLine: (line: string) => {
                if (!line.startsWith('{')) onLine(line);
              },
            }
          : {}),
      },
    });
    return revisionOf(stdout, `helm upgrade --install ${request.release}`);
  }

  async history(ref: ReleaseRef): Promise<ReleaseRevision[]> {
    const what = `helm history ${ref.release}`;
    const result = await this.run({
      args: ['history', ...this.releaseArgs(ref), '--output', 'json', '--', ref.release],
      what,
      notFound: true,
    });
    if (result === undefined) return [];
    return (parseJson(result.stdout, what) as HistoryEntry[]).map((entry) => ({
      revision: entry.revision,
      status: entry.status,
      chart: entry.chart,
      appVersion: entry.app_version,
      description: entry.description,
      ...(entry.updated ? { updatedAt: new Date(entry.updated) } : {}),
    }));
  }

  async rollback(request: RollbackRequest): Promise<number> {
    if (!Number.isInteger(request.revision) || request.revision < 1) {
      throw new Error(`not a release revision: ${request.revision}`);
    }
    await this.run({
      args: [
        'rollback',
        ...this.releaseArgs(request),
        ...timeoutArgs(request.timeoutMs),
        '--',
        request.release,
        String(request.revision),
      ],
      what: `helm rollback ${request.release} to revision ${request.revision}`,
      control: request,
    });
    // helm rollback prints no revision; the release's current one is the rollback's.
    const status = await this.status(request);
    if (status === undefined) {
      throw new DeployError('HELM_FAILED', `release ${request.release} vanished after rollback`);
    }
    return status.revision;
  }

  async status(ref: ReleaseRef): Promise<ReleaseStatus | undefined> {
    const what = `helm status ${ref.release}`;
    const result = await this.run({
      args: ['status', ...this.releaseArgs(ref), '--output', 'json', '--', ref.release],
      what,
      notFound: true,
    });
    if (result === undefined) return undefined;
    const release = parseJson(result.stdout, what) as ReleaseJson;
    return {
      release: release.name,
      namespace: release.namespace,
      revision: release.version,
      status: release.info.status,
      description: release.info.description,
    };
  }

  /** --namespace, --kube-context and --kubeconfig, after checking the names. */
  private releaseArgs(ref: ReleaseRef): string[] {
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
      ...(this.options.kubeconfig === undefined ? [] : [`--kubeconfig=${this.options.kubeconfig}`]),
    ];
  }

  private run(run: Run & { notFound: true }): Promise<{ stdout: string } | undefined>;
  private run(run: Run): Promise<{ stdout: string }>;
  private async run(run: Run & { notFound?: boolean }): Promise<{ stdout: string } | undefined> {
    const env: Record<string, string> = this.options.kubeconfig
      ? { KUBECONFIG: this.options.kubeconfig }
      : {};
    const control = run.control;
    const started = Date.now();
    try {
      return await runProgram({
        file: this.options.bin,
        args: run.args,
        env,
        timeoutMs: control ? control.timeoutMs + GRACE_MS : (this.options.timeoutMs ?? 120_000),
        ...(control?.signal ? { signal: control.signal } : {}),
        ...(control?.onLine ? { onLine: control.onLine } : {}),
      });
    } catch (error) {
      if (!(error instanceof ProgramFailed)) throw error;
      const stderr = tail(error.result.stderr || error.message, 10);
      if (run.notFound && error.reason === 'exit-code' && RELEASE_NOT_FOUND.test(stderr)) {
        return undefined;
      }
      if (error.reason === 'not-found') {
        throw new DeployError(
          'HELM_FAILED',
          `helm was not found at ${JSON.stringify(this.options.bin)}; install helm or set HELM_BIN to its path`,
          { cause: error },
        );
      }
      if (error.reason === 'cancelled') {
        throw new DeployError('CANCELLED', `${run.what} was cancelled`, { cause: error });
      }
      // helm failing once its own --timeout has passed is a timeout too, not a chart problem.
      const limitMs = control?.timeoutMs;
      if (
        error.reason === 'timeout' ||
        (limitMs !== undefined && Date.now() - started >= limitMs)
      ) {
        const seconds = Math.ceil((limitMs ?? this.options.timeoutMs ?? 120_000) / 1000);
        const said = error.result.stderr ? `: ${stderr}` : '';
        throw new DeployError('TIMEOUT', `${run.what} did not finish within ${seconds}s${said}`, {
          cause: error,
        });
      }
      throw new DeployError('HELM_FAILED', `${run.what} failed: ${stderr}`, { cause: error });
    }
  }
}

interface HistoryEntry {
  revision: number;
  updated?: string;
  status: string;
  chart: string;
  app_version: string;
  description: string;
}

interface ReleaseJson {
  name: string;
  namespace: string;
  version: number;
  info: { status: string; description: string };
}

/** --values and --set-string arguments, with value paths checked and values escaped. */
function valueArgs(request: {
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

function timeoutArgs(timeoutMs: number): string[] {
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new Error(`not a time limit: ${timeoutMs} ms`);
  }
  return ['--timeout', `${Math.ceil(timeoutMs / 1000)}s`];
}

function parseJson(stdout: string, what: string): unknown {
  try {
    return JSON.parse(stdout) as unknown;
  } catch (error) {
    throw new DeployError('HELM_FAILED', `${what} printed something that is not JSON`, {
      cause: error,
    });
  }
}

function revisionOf(stdout: string, what: string): number {
  const release = parseJson(stdout, what) as Partial<ReleaseJson>;
  if (typeof release.version !== 'number') {
    throw new DeployError('HELM_FAILED', `${what} did not say which revision it made`);
  }
  return release.version;
}
