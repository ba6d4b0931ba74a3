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
import { releaseArgs, timeoutArgs, valueArgs } from './helm-arguments.js';
import { parseJson, revisionOf, type HistoryEntry, type ReleaseJson } from './helm-output.js';
import { ProgramFailed, runProgram, tail } from './run-program.js';

export interface HelmCliOptions {
  /** The helm binary: a path or a name on PATH. */
  bin: string;
  kubeconfig?: string;
  /** Time limit of the short commands (version, template, history, status); 120 s by default. */
  timeoutMs?: number;
}

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
      ...releaseArgs(request, this.options.kubeconfig),
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
    const entries = (await this.readJson('history', ref)) as HistoryEntry[] | undefined;
    return (entries ?? []).map((entry) => ({
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
        ...releaseArgs(request, this.options.kubeconfig),
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
    const release = (await this.readJson('status', ref)) as ReleaseJson | undefined;
    if (release === undefined) return undefined;
    return {
      release: release.name,
      namespace: release.namespace,
      revision: release.version,
      status: release.info.status,
      description: release.info.description,
    };
  }

  async uninstall(request: ReleaseRef & HelmRunControl): Promise<void> {
    await this.run({
      args: [
        'uninstall',
        ...releaseArgs(request, this.options.kubeconfig),
        ...timeoutArgs(request.timeoutMs),
        '--',
        request.release,
      ],
      what: `helm uninstall ${request.release}`,
      control: request,
    });
  }

  async values(ref: ReleaseRef, revision: number): Promise<Record<string, unknown>> {
    if (!Number.isInteger(revision) || revision < 1) {
      throw new Error(`not a release revision: ${revision}`);
    }
    const what = `helm get values ${ref.release} --revision ${revision}`;
    const args = ['get', 'values', ...releaseArgs(ref, this.options.kubeconfig)];
    args.push('--revision', String(revision), '--output', 'json', '--', ref.release);
    const { stdout } = await this.run({ args, what });
    const values = parseJson(stdout, what);
    // A revision installed with no values at all prints null.
    return typeof values === 'object' && values !== null ? (values as Record<string, unknown>) : {};
  }

  /** `helm history` or `helm status` of a release, as JSON; undefined when it does not exist. */
  private async readJson(verb: 'history' | 'status', ref: ReleaseRef): Promise<unknown> {
    const what = `helm ${verb} ${ref.release}`;
    const args = [verb, ...releaseArgs(ref, this.options.kubeconfig), '--output', 'json'];
    const result = await this.run({ args: [...args, '--', ref.release], what, notFound: true });
    return result === undefined ? undefined : parseJson(result.stdout, what);
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
