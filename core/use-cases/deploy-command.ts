import type { ChatAddress } from '../domain/chat-address.js';
import type { DeployCommandOutcome } from '../domain/command-outcomes.js';
import { parseDeployCommand } from '../domain/deploy-command.js';
import { suggestNames } from '../domain/suggest.js';
import { brakeCommand } from './brake-command.js';
import type { CommandDependencies } from './command-dependencies.js';
import { listServices } from './list-services.js';
import { requestDeploy } from './request-deploy.js';

/**
 * What a person typed after `/deploy`, on any chat surface: help, the list of services, a
 * deploy, or a brake (brake-command.ts). The surface renders the outcome; only `queued` (a deploy
 * or a rollback) has more to do (announceDeploy).
 */
export async function deployCommand(
  input: { text: string; origin: Omit<ChatAddress, 'message'>; requestId: string },
  deps: CommandDependencies,
): Promise<DeployCommandOutcome> {
  const parsed = parseDeployCommand(input.text);
  switch (parsed.kind) {
    case 'help':
      return { kind: 'help' };
    case 'unreadable':
      return {
        kind: 'unreadable',
        text: input.text,
        ...(parsed.usage === undefined ? {} : { usage: parsed.usage }),
      };
    case 'invalid-name': {
      const { what, name } = parsed;
      const known = Object.keys(
        what === 'service' ? deps.catalog.services : deps.catalog.environments,
      );
      deps.logger.info({ refusal: 'INVALID_NAME', what }, 'deploy refused');
      const suggestions = suggestNames(name.toLowerCase(), known);
      return { kind: 'refused', refusal: { code: 'INVALID_NAME', what, name, suggestions } };
    }
    case 'list':
      return listServices(input.origin.user, deps);
    case 'deploy':
      return requestDeploy(
        { command: parsed, origin: input.origin, requestId: input.requestId },
        deps,
      );
    default:
      return brakeCommand(parsed, input, deps);
  }
}
