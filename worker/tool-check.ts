import { ProgramFailed, runProgram } from '../core/adapters/run-program.js';
import type { Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';

/** A program the worker needs that does not run: the message says what to install or set. */
export class MissingTool extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingTool';
  }
}

/** The program's first line of output, or why it did not run. */
async function versionOf(
  file: string,
  args: string[],
): Promise<{ ok: true; version: string } | { ok: false; why: string }> {
  try {
    const result = await runProgram({ file, args, timeoutMs: 15_000 });
    return { ok: true, version: (result.stdout.trim().split('\n')[0] ?? '').trim() };
  } catch (error) {
    if (!(error instanceof ProgramFailed)) throw error;
    if (error.reason === 'not-found') return { ok: false, why: 'was not found' };
    const said = (error.result.stderr.trim().split('\n')[0] ?? '').slice(0, 200);
    return { ok: false, why: `did not run (${error.reason}${said ? `: ${said}` : ''})` };
  }
}

/**
 * What a deploy runs besides Docker: helm always, git when a service's source is a git
 * repository. Checked at start-up, so that a worker without them says so at once rather than
 * failing every deploy; their versions are logged.
 */
export async function checkTools(config: Config, logger: Logger): Promise<void> {
  const gitServices = Object.values(config.catalog.services)
    .filter((service) => service.source.kind === 'git')
    .map((service) => service.name);
  const [helm, git] = await Promise.all([
    versionOf(config.helm.bin, ['version', '--short']),
    versionOf('git', ['--version']),
  ]);
  if (!helm.ok) {
    throw new MissingTool(
      `Harbormaster's worker cannot start: helm (HELM_BIN=${config.helm.bin}) ${helm.why}. ` +
        'Install helm 3.8 or newer (https://helm.sh/docs/intro/install/), or set HELM_BIN to its path.',
    );
  }
  if (!git.ok && gitServices.length > 0) {
    throw new MissingTool(
      `Harbormaster's worker cannot start: git ${git.why}, and the catalog takes ${gitServices.join(', ')} from git. ` +
        'Install git (Debian: apt-get install git), or give those services a source.path.',
    );
  }
  logger.info({ helm: helm.version, git: git.ok ? git.version : 'not installed' }, 'tools found');
}
