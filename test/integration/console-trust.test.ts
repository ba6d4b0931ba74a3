import { join } from 'node:path';
import { Queue } from 'bullmq';
import { runConsoleCommand } from '../../bot/console/console-commands.js';
import { BullmqDeployQueue } from '../../core/adapters/bullmq-deploy-queue.js';
import { CONSOLE_CHANNEL, CONSOLE_WORKSPACE } from '../../core/adapters/console/console-address.js';
import { ConsoleChat } from '../../core/adapters/console/console-chat.js';
import { ConsoleDirectory } from '../../core/adapters/console/console-directory.js';
import { toHtml } from '../../core/adapters/console/render-html.js';
import { createRedisConnection } from '../../core/adapters/redis-connection.js';
import { loadConfig } from '../../core/config.js';
import { createLogger } from '../../core/logger.js';
import type { CommandDependencies } from '../../core/use-cases/command-dependencies.js';
import { fakeBrakes, FakeCluster, FakeHelm, readMessage } from '../support/fakes/index.js';
import { TEST_JOB_KEY } from '../support/job-key.js';
import { repoRoot } from '../support/paths.js';
import { testEnv, uniqueName } from '../support/test-env.js';
import { VALID_ENV } from '../unit/config/catalog-fixture.js';

/**
 * The web console is a second chat surface: the same refusals, viewers and escaping hold there,
 * with its own directory (no user groups) and its stream on a real Redis.
 */
describe('trust rules on the web console', () => {
  const connection = createRedisConnection(testEnv().redisUrl, { blocking: false });
  const queueName = uniqueName('console-trust');
  const queue = new BullmqDeployQueue({ connection, queueName, jobKey: TEST_JOB_KEY });
  const inspector = new Queue(queueName, { connection });
  const { catalog } = loadConfig({
    ...VALID_ENV,
    HARBORMASTER_CONFIG: join(repoRoot, 'test', 'fixtures', 'catalogs', 'status.yaml'),
  });
  const deps: CommandDependencies = {
    catalog,
    queue,
    chat: new ConsoleChat({ redis: connection, queueName }),
    directory: new ConsoleDirectory(),
    cluster: new FakeCluster(new FakeHelm()),
    ...fakeBrakes(),
    logger: createLogger({ name: 'console-trust', level: 'silent' }),
  };
  const origin = {
    channel: CONSOLE_CHANNEL.id,
    workspace: CONSOLE_WORKSPACE,
    user: { id: 'U0CONSOLE', name: 'you' },
  };
  let sent = 0;
  const type = async (text: string) => {
    sent += 1;
    const answer = await runConsoleCommand(
      { text, requestId: `${queueName}-${String(sent)}`, origin },
      deps,
    );
    if (answer.kind !== 'answered') throw new Error(`${text}: not answered`);
    return answer.replies;
  };

  afterAll(async () => {
    await queue.close();
    await inspector.obliterate({ force: true });
    await inspector.close();
    await connection.quit();
  });

  it('refuses /status for an environment the console person may not view', async () => {
    const [reply, ...more] = await type('/status hello-world restricted');
    expect(more).toEqual([]);
    expect(readMessage(reply ?? { summary: [], blocks: [] })).toContain(
      'You may not view the pods of restricted',
    );
  });

  it.each([
    ['constructor@main', /no service called constructor/i],
    ['__proto__@main', /__proto__ is not a service name/],
    ['hello-world to constructor', /no environment called constructor/i],
    ['hello-world@main. to staging', /not a branch, tag or commit|ref/i],
    ['<!channel>@main', /<!channel> is not a service name/],
  ])('refuses /deploy %s, naming the problem, and queues nothing', async (text, expected) => {
    const replies = await type(`/deploy ${text}`);
    expect(replies).toHaveLength(1);
    const shown = readMessage(replies[0] ?? { summary: [], blocks: [] });
    expect(shown).toMatch(expected);
    expect(shown).not.toMatch(/redis/i);
    const html = toHtml(replies[0] ?? { summary: [], blocks: [] });
    expect(html).not.toContain('<!channel>');
    expect(await inspector.getJobCounts()).toMatchObject({ delayed: 0, waiting: 0 });
  });
});
