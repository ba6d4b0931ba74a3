import type { EnvironmentConfig } from '../../core/domain/catalog.js';
import type { DeployRequest } from '../../core/domain/deploy-request.js';

/** A deploy request as the bot queues it: alice deploys hello-world@main to staging. */
export function deployRequest(overrides: Partial<DeployRequest> = {}): DeployRequest {
  return {
    id: 'deploy-1',
    service: 'hello-world',
    ref: 'main',
    environment: 'staging',
    origin: { channel: 'C0DEPLOYS', user: { id: 'U0ALICE', name: 'alice' } },
    requestedAt: '2026-11-24T12:00:00.000Z',
    ...overrides,
  };
}

/** A staging environment anyone may deploy to. */
export const STAGING: EnvironmentConfig = {
  name: 'staging',
  namespace: 'staging',
  deployers: { users: [], userGroups: [], everyone: true },
};
