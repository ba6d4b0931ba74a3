import { STAGES } from '../../../core/domain/stages.js';
import { createLogger } from '../../../core/logger.js';
import { ChatError } from '../../../core/ports/chat.js';
import { ProgressReporter } from '../../../core/reporting/progress-reporter.js';
import { deployRequest } from '../../support/deploy-fixtures.js';
import { FakeChat } from '../../support/fakes/fake-chat.js';
import { FakeClock } from '../../support/fakes/fake-clock.js';

const logger = createLogger({ name: 'test', level: 'silent' });

function setUp(intervalMs: number, messageId?: string) {
  const clock = new FakeClock();
  const start = clock.now();
  const chat = new FakeChat(clock);
  const request = deployRequest();
  const reporter = new ProgressReporter({
    chat,
    request: messageId
      ? { ...request, origin: { ...request.origin, message: messageId } }
      : request,
    logger,
    intervalMs,
    clock,
  });
  /** Each successful call: method, ms since the start, and the message's running or last line. */
  const sent = () =>
    chat.calls
      .filter((call) => call.failed === undefined && call.message !== undefined)
      .map((call) => [call.method, (call.at ?? 0) - start]);
  return { clock, chat, reporter, sent };
}

describe('ProgressReporter on a fake clock: when the message is sent', () => {
  it('sends a burst of events as one update per interval, the latest state each time', async () => {
    const { clock, chat, reporter, sent } = setUp(400);
    for (const stage of STAGES) {
      reporter.report({ type: 'stage-started', stage });
      await clock.advance(30);
      reporter.report({ type: 'stage-finished', stage });
      await clock.advance(30);
    }
    // 14 events in 420 ms: posted at once, updated once at 400 ms with every stage done.
    expect(sent()).toEqual([
      ['post', 0],
      ['update', 400],
    ]);
    const id = chat.callsTo('post')[0]?.id ?? '';
    expect(
      chat
        .read(id)
        .split('\n')
        .filter((line) => line.includes('white_check_mark')),
    ).toHaveLength(7);

    const finished = reporter.finish({ type: 'succeeded', address: 'http://127.0.0.1:31234' });
    await clock.runAll();
    await finished;
    // The ending goes no sooner than one interval after the last update.
    expect(sent().at(-1)).toEqual(['update', 800]);
    expect(chat.read(id)).toMatch(/^:white_check_mark: Deployed hello-world@main → staging/);
    expect(chat.read(id)).toContain('Address: http://127.0.0.1:31234');
  });

  it('waits out a rate limit, then sends the state as it is by then', async () => {
    const { clock, chat, reporter, sent } = setUp(100);
    reporter.report({ type: 'stage-started', stage: 'source' });
    await clock.advance(0);
    chat.failNext(
      'update',
      new ChatError('rate_limited', 'slow down', { code: 'ratelimited', retryAfterMs: 3000 }),
    );
    reporter.report({ type: 'stage-finished', stage: 'source' });
    await clock.advance(100);
    expect(chat.calls.map((call) => call.failed)).toEqual([undefined, 'ratelimited']);
    reporter.report({ type: 'stage-started', stage: 'test' });
    await clock.advance(2999);
    expect(sent()).toEqual([['post', 0]]);
    await clock.advance(1);
    expect(sent()).toEqual([
      ['post', 0],
      ['update', 3100],
    ]);
    const id = chat.callsTo('post')[0]?.id ?? '';
    expect(chat.read(id)).toContain(':arrows_counterclockwise: Test gate · running…');
  });

  it('posts anew when its message has gone; settle() sends what is pending without waiting', async () => {
    const { chat, reporter, sent } = setUp(60_000, '1.000001');
    reporter.report({ type: 'stage-started', stage: 'source' });
    await reporter.settle();
    expect(chat.calls.map((call) => [call.method, call.failed])).toEqual([
      ['update', 'message_not_found'],
      ['post', undefined],
    ]);
    expect(sent()).toEqual([['post', 0]]);
    expect(reporter.message?.id).toBe(chat.callsTo('post')[0]?.id);
  });
});
