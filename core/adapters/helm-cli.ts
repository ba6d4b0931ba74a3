import { DeployError } from '../domain/deploy-error.js';
import type { Helm, TemplateRequest } from '../ports/helm.js';
import { ProgramFailed, runProgram, tail } from './run-program.js';

export interface HelmCliOptions {
  /** The helm binary: a path or a name on PATH. */
  bin: string;
  kubeconfig?: string;
  timeoutMs?: number;
}

/** Keys for --set-string: chart value paths, never user text. */
const VALUE_PATH = /^[A-Za-z0-9_.-]+$/;

/** helm through execa, with argument lists only. */
export class HelmCli implements Helm {
  constructor(private readonly options: HelmCliOptions) {}

  async version(): Promise<string> {
    const { stdout } = await this.run(['version', '--template', '{{ .Version }}'], 'helm version');
    return stdout.trim();
  }

  async template(request: TemplateRequest): Promise<string> {
    const args = ['template', request.release, request.chartPath, '--namespace', request.namespace];
    for (const file of request.valuesFiles ?? []) args.push('--values', file);
    for (const [key, value] of Object.entries(request.setStrings ?? {})) {
      if (!VALUE_PATH.test(key)) throw new Error(`not a chart value path: ${JSON.stringify(key)}`);
      // A comma or backslash would split or escape helm's key=value list.
      args.push('--set-string', `${key}=${value.replace(/([\\,])/g, '\\$1')}`);
    }
    const { stdout } = await this.run(args, `helm template ${request.release}`);
    return stdout;
  }

  private async run(args: string[], what: string) {
    const env: Record<string, string> = this.options.kubeconfig
      ? { KUBECONFIG: this.options.kubeconfig }
      : {};
    try {
      return await runProgram({
        file: this.options.bin,
        args,
        env,
        timeoutMs: this.options.timeoutMs ?? 120_000,
      });
    } catch (error) {
      if (!(error instanceof ProgramFailed)) throw error;
      const message =
        error.reason === 'not-found'
          ? `helm was not found at ${JSON.stringify(this.options.bin)}; install helm or set HELM_BIN to its path`
          : `${what} failed: ${tail(error.result.stderr || error.message, 10)}`;
      throw new DeployError('HELM_FAILED', message, { cause: error });
    }
  }
}
