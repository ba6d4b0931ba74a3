import { createRedisConnection } from '../../core/adapters/redis-connection.js';
import { RedisDeployLocks } from '../../core/adapters/redis-deploy-locks.js';
import { BUTTON_ACTIONS } from '../../core/domain/button-actions.js';
import type { DeployLock } from '../../core/domain/deploy-lock.js';
import { createLogger } from '../../core/logger.js';
import type { Chat } from '../../core/ports/chat.js';
import { startLockReminders } from '../../worker/lock-reminders.js';
import { eventually } from '../support/eventually.js';
import { FakeChat, readMessage } from '../support/fakes/fake-chat.js';
import { FakeClock } from '../support/fakes/fake-clock.js';
import { testEnv, uniqueName } from '../support/test-env.js';

const HOUR = 3600_000;
const EVERY = 60_000;

describe('lock reminders, as the worker runs them on Redis', () => {
  const connection = createRedisConnection(testEnv().redisUrl, { blocking: false });
  const logger = createLogger({ name: 'test', level: 'silent' });
  afterAll(() => {
    connection.disconnect();
  });

  it('remind the holder of an old lock once, in its channel, with an Unlock button; two workers send one', async () => {
    const clock = new FakeClock();
    const locks = new RedisDeployLocks({ connection, namespace: uniqueName('reminders') });
    const lock: DeployLock = {
      service: 'hello-world',
      environment: 'staging',
      by: { id: 'U0BOB', name: 'bob' },
      reason: 'migrating the database',
      lockedAt: new Date(clock.now()).toISOString(),
      channel: 'C0DEPLOYS',
    };
    await locks.take(lock);
    const slack = new FakeChat();
    const console = new FakeChat();
    const chatFor = (held: DeployLock): Chat =>
      held.workspace === 'harbormaster-console' ? console : slack;
    // Two workers look at the same locks.
    const options = { locks, chatFor, reminderAfterMs: 4 * HOUR, everyMs: EVERY, clock, logger };
    const stops = [startLockReminders(options), startLockReminders(options)];
    /** Lets the workers look, and waits until both have finished looking (their next look set). */
    const look = async (ms: number) => {
      await clock.advance(ms);
      await eventually('both workers to finish looking', () =>
        Promise.resolve(clock.pending === 2),
      );
    };
    try {
      await look(4 * HOUR - EVERY);
      expect(slack.callsTo('post')).toHaveLength(0);
      await look(2 * EVERY);
      await eventually('the reminder', () => Promise.resolve(slack.callsTo('post').length > 0));
      await look(10 * EVERY);
      const posts = slack.callsTo('post');
      expect(posts).toHaveLength(1);
      expect(posts[0]?.channel).toBe('C0DEPLOYS');
      const message = posts[0]?.message;
      expect(message && readMessage(message)).toMatch(
        /you locked hello-world → staging 4h \d+m ago: “migrating the database”/,
      );
      const buttons = message?.blocks.flatMap((block) =>
        block.kind === 'actions' ? block.buttons : [],
      );
      expect(buttons?.map((button) => [button.actionId, button.label])).toEqual([
        [BUTTON_ACTIONS.unlock, 'Unlock'],
      ]);
      expect(console.calls).toEqual([]);
    } finally {
      for (const stop of stops) stop();
    }
    expect(clock.pending).toBe(0);
  });
});
