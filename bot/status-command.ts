import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { isDeployError } from '../core/domain/deploy-error.js';
import { parseStatusQuery } from '../core/domain/status-query.js';
import { toSlackMessage } from '../core/adapters/slack/render-message.js';
import {
  statusMessage,
  unknownWordMessage,
  type ServiceStatus,
} from '../core/messages/status-message.js';
import type { BotDependencies } from './bot-dependencies.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/**
 * /status: acknowledged at once (Kubernetes may be slow), then answered through response_url
 * with the pods and address of each service in each environment asked for.
 */
export function statusCommandHandler(deps: BotDependencies) {
  const now = deps.now ?? (() => new Date());

  const statusOf = async (serviceName: string, environmentName: string): Promise<ServiceStatus> => {
    const service = deps.catalog.services[serviceName];
    const environment = deps.catalog.environments[environmentName];
    if (!service || !environment)
      throw new Error(`${serviceName} or ${environmentName} is not in the catalog`);
    const target = {
      namespace: environment.namespace,
      ...(environment.kubeContext ? { kubeContext: environment.kubeContext } : {}),
    };
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
  };

  return async ({ command, ack, respond }: CommandArgs): Promise<void> => {
    const parsed = parseStatusQuery(command.text, deps.catalog);
    if (!parsed.ok) {
      await ack({
        response_type: 'ephemeral',
        ...toSlackMessage(unknownWordMessage(parsed.word, parsed.suggestions)),
      });
      return;
    }
    await ack();
    const { services, environments } = parsed.query;
    const statuses = await Promise.all(
      services.flatMap((service) =>
        environments.map((environment) => statusOf(service, environment)),
      ),
    );
    await respond({
      response_type: 'ephemeral',
      ...toSlackMessage(statusMessage({ services: statuses, now: now() })),
    });
  };
}
