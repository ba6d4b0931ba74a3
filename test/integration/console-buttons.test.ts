import { consoleButtonActions } from '../../bot/button-press.js';
import { createConsole } from '../../bot/console/console-routes.js';
import { CONSOLE_CHANNEL, CONSOLE_WORKSPACE } from '../../core/adapters/console/console-address.js';
import { ConsoleFeed } from '../../core/adapters/console/console-feed.js';
import { serveRoutes, type HttpEndpoint } from '../../core/adapters/health-endpoints.js';
import { createRedisConnection } from '../../core/adapters/redis-connection.js';
import { BUTTON_ACTIONS, buttonValue, type ButtonPress } from '../../core/domain/button-actions.js';
import type { DeployRequest } from '../../core/domain/deploy-request.js';
import { createLogger } from '../../core/logger.js';
import type { CommandDependencies } from '../../core/use-cases/command-dependencies.js';
import { catalog, STAGING } from '../support/deploy-fixtures.js';
import {
  FakeChat,
  FakeCluster,
  FakeDeployQueue,
  FakeDirectory,
  FakeHelm,
  fakeBrakes,
} from '../support/fakes/index.js';
import { testEnv, uniqueName } from '../support/test-env.js';

const YOU = { id: 'U0CONSOLE', name: 'you' };
const PRODUCTION = {
  name: 'production',
  namespace: 'production',
  refs: ['*'],
  allowCommits: false,
  deployers: { users: ['U0SOMEONE'], userGroups: [], everyone: false },
};

function deployOf(id: string, environment: string): DeployRequest {
  return {
    id,
    service: 'hello-world',
    ref: 'main',
    environment,
    origin: {
      workspace: CONSOLE_WORKSPACE,
      channel: CONSOLE_CHANNEL.id,
      user: { id: 'U0SOMEONE', name: 'someone' },
      message: '1700000000000-0',
    },
    requestedAt: '2026-03-01T12:00:00.000Z',
  };
}

describe('the console’s buttons: Cancel, Rollback and Unlock through the same use case as Slack’s', () => {
  const logger = createLogger({ name: 'test', level: 'silent' });
  const redis = createRedisConnection(testEnv().redisUrl, { blocking: false });
  const follow = createRedisConnection(testEnv().redisUrl, { blocking: true });
  const brakes = fakeBrakes();
  const deps: CommandDependencies = {
    catalog: catalog({ environments: { staging: STAGING, production: PRODUCTION } }),
    queue: new FakeDeployQueue(),
    directory: new FakeDirectory({}),
    chat: new FakeChat(),
    cluster: new FakeCluster(new FakeHelm()),
    ...brakes,
    logger,
  };
  const web = createConsole({
    access: { port: 0 },
    user: YOU,
    workspace: CONSOLE_WORKSPACE,
    channels: [CONSOLE_CHANNEL],
    feed: new ConsoleFeed({
      redis,
      follow,
      queueName: uniqueName('console'),
      channels: [CONSOLE_CHANNEL.id],
      logger,
    }),
    deps,
    actions: consoleButtonActions(deps),
  });
  let server: HttpEndpoint;

  beforeAll(async () => {
    server = await serveRoutes(web.routes, { port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    web.close();
    await server.close();
    redis.disconnect();
    follow.disconnect();
  });

  async function press(button: ButtonPress, message: string) {
    const response = await fetch(`http://127.0.0.1:${server.port}/api/action`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        channel: CONSOLE_CHANNEL.id,
        message,
        actionId: BUTTON_ACTIONS[button.action],
        value: buttonValue(button),
      }),
    });
    expect(response.status).toBe(200);
    const { replies } = (await response.json()) as { replies: { html: string }[] };
    // As a person reads it: the text, without the markup.
    return replies.map((reply) => reply.html.replace(/<[^>]+>/g, '')).join('\n');
  }

  it('a deployer’s Cancel asks the running deploy to stop, once, however often it is pressed', async () => {
    brakes.jobs.jobs.set('deploy-staging', {
      request: deployOf('deploy-staging', 'staging'),
      state: 'running',
    });
    const first = await press({ action: 'cancel', jobId: 'deploy-staging' }, '1700000000001-0');
    expect(first).toContain('Cancelling hello-world@main → staging');
    expect(brakes.cancels.requests.get('deploy-staging')).toEqual(YOU);
    const again = await press({ action: 'cancel', jobId: 'deploy-staging' }, '1700000000001-0');
    expect(again).toMatch(/already pressed|pressed it/i);
    expect(brakes.audit.entries.filter((entry) => entry.action === 'cancel')).toHaveLength(1);
  });

  it('someone who may not deploy there is refused Cancel, Rollback and Unlock, and nothing is done', async () => {
    brakes.jobs.jobs.set('deploy-production', {
      request: deployOf('deploy-production', 'production'),
      state: 'running',
    });
    const target = { service: 'hello-world', environment: 'production' };
    await brakes.locks.take({
      ...target,
      by: { id: 'U0SOMEONE', name: 'someone' },
      reason: 'freeze',
      lockedAt: '2026-03-01T12:00:00.000Z',
      channel: CONSOLE_CHANNEL.id,
    });
    const presses: ButtonPress[] = [
      { action: 'cancel', jobId: 'deploy-production' },
      { action: 'rollback', jobId: 'deploy-production', ...target },
      { action: 'unlock', ...target },
    ];
    for (const [index, button] of presses.entries()) {
      const said = await press(button, `170000000010${index}-0`);
      expect(said).toContain('You are not allowed to deploy to production.');
    }
    expect(brakes.cancels.requests.has('deploy-production')).toBe(false);
    expect(brakes.locks.locks.size).toBe(1);
  });
});
