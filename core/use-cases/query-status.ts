import { mayView } from '../domain/authorisation.js';
import { clusterTargetOf, environmentNamed, serviceNamed } from '../domain/catalog.js';
import type { ChatUser } from '../domain/chat-address.js';
import type { StatusQueryCheck } from '../domain/command-outcomes.js';
import { isDeployError } from '../domain/deploy-error.js';
import { parseStatusQuery, type StatusQuery } from '../domain/status-query.js';
import type { ServiceStatus } from '../messages/status-message.js';
import { clusterUnreadableText } from '../messages/status-refusals.js';
import { callBudget, type CommandDependencies } from './command-dependencies.js';
import { withDeadline } from './deadline.js';

type CheckDependencies = Pick<
  CommandDependencies,
  'catalog' | 'directory' | 'logger' | 'callBudgetMs' | 'answerBy'
>;

/** The environments, of those asked for, that this person may not view. */
async function hiddenFrom(
  userId: string,
  environments: readonly string[],
  deps: CheckDependencies,
): Promise<string[]> {
  const membersOf = (group: string) => deps.directory.userGroupMembers(group);
  const verdicts = await Promise.all(
    environments.map(async (name) => {
      const environment = environmentNamed(deps.catalog, name);
      return environment !== undefined && (await mayView(userId, environment, membersOf));
    }),
  );
  return environments.filter((_, at) => verdicts[at] !== true);
}

/**
 * `/status [service] [environment]`, checked against the catalog and against who may view what,
 * before anything is looked up. With no environment named, those this person may view; a named
 * one they may not view is refused.
 */
export async function checkStatusQuery(
  text: string,
  user: ChatUser,
  deps: CheckDependencies,
): Promise<StatusQueryCheck<StatusQuery>> {
  const parsed = parseStatusQuery(text, deps.catalog);
  if (!parsed.ok)
    return { kind: 'unknown-word', word: parsed.word, suggestions: parsed.suggestions };
  const { query } = parsed;
  let hidden: string[];
  try {
    hidden = await withDeadline(
      hiddenFrom(user.id, query.environments, deps),
      callBudget(deps, 'authorisation'),
      'TIMEOUT',
      'the user-group look-up',
    );
  } catch (error) {
    deps.logger.warn({ err: error }, 'authorisation look-up failed');
    return { kind: 'authorisation-unavailable' };
  }
  const named = query.environments.length < Object.keys(deps.catalog.environments).length;
  const visible = query.environments.filter((name) => !hidden.includes(name));
  if (visible.length === 0 || (named && hidden.length > 0)) {
    deps.logger.info({ environments: hidden }, 'status refused: not a viewer');
    return { kind: 'not-a-viewer', environments: hidden };
  }
  return { kind: 'accepted', query: { ...query, environments: visible } };
}

type Dependencies = Pick<CommandDependencies, 'catalog' | 'cluster' | 'logger' | 'now'>;

async function statusOf(
  serviceName: string,
  environmentName: string,
  deps: Dependencies,
): Promise<ServiceStatus> {
  const service = serviceNamed(deps.catalog, serviceName);
  const environment = environmentNamed(deps.catalog, environmentName);
  if (!service || !environment)
    throw new Error(`${serviceName} or ${environmentName} is not in the catalog`);
  const target = clusterTargetOf(environment);
  const base = {
    service: serviceName,
    release: service.release,
    environment: environmentName,
    namespace: environment.namespace,
  };
  try {
    const [pods, address] = await Promise.all([
      deps.cluster.listPods(target, service.release),
      deps.cluster.serviceAddress(target, service.release),
    ]);
    return { ...base, pods, ...(address ? { address } : {}) };
  } catch (error) {
    if (!isDeployError(error)) throw error;
    deps.logger.warn(
      { err: error, service: serviceName, environment: environmentName },
      'status look-up failed',
    );
    return { ...base, pods: [], error: clusterUnreadableText(environmentName, error.code) };
  }
}

/** The pods and address of each service asked for, in each environment asked for. */
export async function queryStatus(
  query: StatusQuery,
  deps: Dependencies,
): Promise<{ services: ServiceStatus[]; now: Date }> {
  const services = await Promise.all(
    query.services.flatMap((service) =>
      query.environments.map((environment) => statusOf(service, environment, deps)),
    ),
  );
  return { services, now: (deps.now ?? (() => new Date()))() };
}
