import { mayDeploy } from '../domain/authorisation.js';
import type { ChatUser } from '../domain/chat-address.js';
import type { ListServicesOutcome } from '../domain/command-outcomes.js';
import { defaultEnvironment } from '../domain/deploy-target.js';
import { callBudget, type CommandDependencies } from './command-dependencies.js';
import { withDeadline } from './deadline.js';

type Dependencies = Pick<
  CommandDependencies,
  'catalog' | 'directory' | 'logger' | 'callBudgetMs' | 'answerBy'
>;

async function allowedEnvironments(userId: string, deps: Dependencies): Promise<string[]> {
  const allowed: string[] = [];
  for (const [name, environment] of Object.entries(deps.catalog.environments)) {
    if (await mayDeploy(userId, environment, (group) => deps.directory.userGroupMembers(group))) {
      allowed.push(name);
    }
  }
  return allowed;
}

/** `/deploy list`: the services, and the environments this person may deploy to. */
export async function listServices(
  user: ChatUser,
  deps: Dependencies,
): Promise<ListServicesOutcome> {
  try {
    const allowed = await withDeadline(
      allowedEnvironments(user.id, deps),
      callBudget(deps, 'authorisation'),
      'TIMEOUT',
      'the user-group look-up',
    );
    return {
      kind: 'listed',
      services: Object.values(deps.catalog.services).map((service) => ({
        name: service.name,
        defaultRef: service.defaultRef,
      })),
      allowedEnvironments: allowed,
      defaultEnvironment: defaultEnvironment(deps.catalog),
    };
  } catch (error) {
    deps.logger.warn({ err: error }, 'authorisation look-up failed');
    return { kind: 'authorisation-unavailable', environment: 'any environment' };
  }
}
