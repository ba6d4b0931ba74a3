import { parseBrakeCommand, type BrakeCommand } from './brake-command.js';

/** What a person typed after /deploy, understood but not yet checked against the catalog. */
export type DeployCommand =
  | { kind: 'help' }
  | { kind: 'list' }
  | { kind: 'deploy'; service: string; ref?: string; environment?: string }
  /** `usage`: the form a brake command takes, when its verb was read but not the rest. */
  | { kind: 'unreadable'; text: string; usage?: string }
  | BrakeCommand;

/**
 * `/deploy <service>[@<ref>] [to <environment>]`, `/deploy help`, `/deploy list`, and the brake
 * commands of brake-command.ts (lock, unlock, locks, cancel, rollback, history, audit).
 * Names are lower-cased; a ref keeps its case (tags and branches are case-sensitive).
 */
export function parseDeployCommand(text: string): DeployCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [first, second, third, ...rest] = words;
  if (first === undefined || (words.length === 1 && first.toLowerCase() === 'help')) {
    return { kind: 'help' };
  }
  if (words.length === 1 && first.toLowerCase() === 'list') return { kind: 'list' };
  const brake = parseBrakeCommand(words, text);
  if (brake !== undefined) return brake;

  const at = first.indexOf('@');
  const service = (at === -1 ? first : first.slice(0, at)).toLowerCase();
  const ref = at === -1 ? undefined : first.slice(at + 1);
  if (service === '' || ref === '') return { kind: 'unreadable', text };

  if (second === undefined)
    return { kind: 'deploy', service, ...(ref === undefined ? {} : { ref }) };
  if (second.toLowerCase() === 'to' && third !== undefined && rest.length === 0) {
    return {
      kind: 'deploy',
      service,
      ...(ref === undefined ? {} : { ref }),
      environment: third.toLowerCase(),
    };
  }
  return { kind: 'unreadable', text };
}
