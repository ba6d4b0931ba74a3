import { clusterTargetOf } from '../domain/catalog.js';
import type { StatusQueryCheck } from '../domain/command-outcomes.js';
import { isDeployError } from '../domain/deploy-error.js';
import { parseStatusQuery, type StatusQuery } from '../domain/status-query.js';
import type { ServiceStatus } from '../messages/status-message.js';
import type { CommandDependencies } from './command-dependencies.js';

/** `/status [service] [environment]`, checked against the catalog before anything is looked up. */
export function checkStatusQuery(
  text: string,
  deps: Pick<CommandDependencies, 'catalog'>,
): StatusQueryCheck<StatusQuery> {
  const parsed = parseStatusQuery(text, deps.catalog);
  return parsed.ok
    ? { kind: 'accepted', query: parsed.query }
    : { kind: 'unknown-word', word: parsed.word, suggestions: parsed.suggestions };
}

type Dependencies = Pick<CommandDependencies, 'catalog' | 'cluster' | 'logger' | 'now'>;

async function statusOf(
  serviceName: string,
  environmentName: string,
  deps: Dependencies,
): Promise<ServiceStatus> {
  const service = deps.catalog.services[serviceName];
  const environment = deps.catalog.environments[environmentName];
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
    return { ...base, pods: [], error: error.message };
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
