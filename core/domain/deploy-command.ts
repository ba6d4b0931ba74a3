import { parseBrakeCommand, type BrakeCommand } from './brake-command.js';
import { nameOf } from './names.js';

/** A service or environment name as typed, before it is checked against the catalog. */
export type NameKind = 'service' | 'environment';

/** What a person typed after /deploy, understood but not yet checked against the catalog. */
export type DeployCommand =
  | { kind: 'help' }
  | { kind: 'list' }
  | { kind: 'deploy'; service: string; ref?: string; environment?: string; rebuild?: true }
  /** A word in the place of a name that no catalog can hold (not a DNS label). */
  | { kind: 'invalid-name'; what: NameKind; name: string }
  /** `usage`: the form a brake command takes, when its verb was read but not the rest. */
  | { kind: 'unreadable'; text: string; usage?: string }
  | BrakeCommand;

function deployOf(serviceWord: string, ref: string | undefined, environmentWord?: string) {
  const service = nameOf(serviceWord);
  if (!service.ok) return { kind: 'invalid-name', what: 'service', name: serviceWord } as const;
  const environment = environmentWord === undefined ? undefined : nameOf(environmentWord);
  if (environment?.ok === false) {
    return { kind: 'invalid-name', what: 'environment', name: environmentWord ?? '' } as const;
  }
  return {
    kind: 'deploy',
    service: service.name,
    ...(ref === undefined ? {} : { ref }),
    ...(environment === undefined ? {} : { environment: environment.name }),
  } as const;
}

/** The one option a deploy takes: test, build and push again even if the image passed before. */
export const REBUILD_OPTION = '--rebuild';

/** A deploy's words, less `--rebuild` (once, anywhere): undefined when it is there twice. */
function withoutRebuild(words: readonly string[]) {
  const kept = words.filter((word) => word.toLowerCase() !== REBUILD_OPTION);
  if (words.length - kept.length > 1) return undefined;
  return { words: kept, rebuild: kept.length < words.length };
}

/**
 * `/deploy <service>[@<ref>] [to <environment>] [--rebuild]`, `/deploy help`, `/deploy list`, and the brake
 * commands of brake-command.ts (lock, unlock, locks, cancel, rollback, history, audit).
 * Names are lower-cased and must be DNS labels; a ref keeps its case (tags and branches are
 * case-sensitive) and is checked later, against the ref rules.
 */
export function parseDeployCommand(text: string): DeployCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [first] = words;
  if (first === undefined || (words.length === 1 && first.toLowerCase() === 'help')) {
    return { kind: 'help' };
  }
  if (words.length === 1 && first.toLowerCase() === 'list') return { kind: 'list' };
  const brake = parseBrakeCommand(words, text);
  if (brake !== undefined) return brake;
  const options = withoutRebuild(words);
  if (options === undefined) return { kind: 'unreadable', text };
  const deploy = parseDeployWords(options.words, text);
  return deploy.kind === 'deploy' && options.rebuild ? { ...deploy, rebuild: true } : deploy;
}

function parseDeployWords(words: readonly string[], text: string): DeployCommand {
  const [first, second, third, ...rest] = words;
  if (first === undefined) return { kind: 'unreadable', text };
  const at = first.indexOf('@');
  const service = at === -1 ? first : first.slice(0, at);
  const ref = at === -1 ? undefined : first.slice(at + 1);
  if (service === '' || ref === '') return { kind: 'unreadable', text };

  if (second === undefined) return deployOf(service, ref);
  if (second.toLowerCase() === 'to' && third !== undefined && rest.length === 0) {
    return deployOf(service, ref, third);
  }
  return { kind: 'unreadable', text };
}
