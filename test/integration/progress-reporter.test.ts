import { PassThrough } from 'node:stream';
import { SlackChat } from '../../core/adapters/slack/slack-chat.js';
import type { DeployRequest } from '../../core/domain/deploy-request.js';
import { STAGES } from '../../core/domain/stages.js';
import { createLogger, type Logger } from '../../core/logger.js';
import { queuedMessage } from '../../core/messages/deploy-messages.js';
import { ChatError, isChatError } from '../../core/ports/chat.js';
import type { ProgressEvent } from '../../core/domain/deploy-progress.js';
import { ProgressReporter } from '../../core/reporting/progress-reporter.js';
import { startSlackDouble, type SlackDouble } from '../support/slack/index.js';

const BOT_TOKEN = 'xoxb-progress-test';
const SHA = '3f2c9a1b7d4e5f60718293a4b5c6d7e8f9012345';

/** A logger whose lines the test can read. */
function capturingLogger(): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  return {
    logger: createLogger({ name: 'progress-test', level: 'debug', destination: stream }),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

let slack: SlackDouble;
let counter = 0;

beforeEach(async () => {
  slack = await startSlackDouble({ botToken: BOT_TOKEN });
  slack.addUser({ id: 'U1', name: 'alice' });
  slack.addUser({ id: 'U2', name: 'bob' });
  slack.addUserGroup({ id: 'S1', handle: 'oncall', users: ['U2'] });
  slack.addChannel({ id: 'C1', name: 'deploys' });
  slack.addChannel({ id: 'C2', name: 'deploy-failures' });
});

afterEach(async () => {
  slack.assertNoUnhandled();
  await slack.stop();
});

function chatFor(options: { rejectRateLimitedCalls?: boolean } = {}): SlackChat {
  return new SlackChat({
    token: BOT_TOKEN,
    slackApiUrl: slack.apiUrl,
    retry: { retries: 10, minDelayMs: 20, maxDelayMs: 200 },
    ...options,
  });
}

/** What the bot does first: the queued message, whose ts the job carries. */
async function queuedDeploy(chat: SlackChat): Promise<DeployRequest> {
  counter += 1;
  const request: DeployRequest = {
    id: `trigger-${counter}`,
    service: 'hello-world',
    ref: 'main',
    environment: 'staging',
    origin: { channel: 'C1', user: { id: 'U1', name: 'alice' } },
    requestedAt: new Date().toISOString(),
  };
  const ts = await chat.post('C1', queuedMessage(request));
  return { ...request, origin: { ...request.origin, message: ts } };
}

/** 50 events: each stage started and finished, with details and notes between. */
function fiftyEvents(): ProgressEvent[] {
  const events: ProgressEvent[] = [];
  let i = 0;
  while (events.length < 50) {
    const stage = STAGES[i % STAGES.length] ?? 'source';
    events.push({ type: 'stage-started', stage });
    events.push({ type: 'note', note: { kind: 'text', text: `step ${events.length}` } });
    events.push({ type: 'clear-notes' });
    events.push({ type: 'details', commit: SHA });
    events.push({ type: 'stage-finished', stage });
    i += 1;
  }
  return events;
}

/** The last version of the deploy's message, as a person reads it. */
function deployMessage(request: DeployRequest): string {
  return slack.channel('C1').message(request.origin.message ?? '').rendered;
}

const ALL_DONE =
  /^:white_check_mark: Deployed hello-world@main → staging\nRequested by @alice · ref main · commit 3f2c9a1\n(:white_check_mark: [A-Za-z ]+ · \d+\.\ds\n){7}Live in \d+\.\ds\nAddress: http:\/\/127\.0\.0\.1:31234\nImage: sha256:a{64}\n\[Rollback\]$/;

describe('ProgressReporter against the Slack double', () => {
  it('coalesces a burst of 50 events into a few updates, the last state winning', async () => {
    const chat = chatFor();
    const request = await queuedDeploy(chat);
    const { logger, lines } = capturingLogger();
    const reporter = new ProgressReporter({ chat, request, logger, intervalMs: 400 });
    const started = Date.now();
    for (const event of fiftyEvents()) {
      reporter.report(event);
      await sleep(10);
    }
    await reporter.finish({
      type: 'succeeded',
      address: 'http://127.0.0.1:31234',
      digest: `sha256:${'a'.repeat(64)}`,
    });
    const elapsed = Date.now() - started;

    const updates = slack.callsTo('chat.update').length;
    expect(updates).toBeGreaterThanOrEqual(2);
    // At most one update per 400 ms of the time it took, however slow the machine was; the
    // exact count on a fake clock is in test/unit/reporting/progress-reporter.test.ts.
    expect(updates).toBeLessThanOrEqual(Math.floor(elapsed / 400) + 1);
    expect(updates).toBeLessThan(fiftyEvents().length);
    expect(deployMessage(request)).toMatch(ALL_DONE);
    const message = slack.channel('C1').message(request.origin.message ?? '');
    expect(message.history).toHaveLength(updates);
    expect(message.text).toBe('Deployed hello-world@main → staging: http://127.0.0.1:31234');
    expect(message.replies).toHaveLength(0);
    expect(lines().filter((line) => line.level === 40)).toEqual([]);
  });

  it('loses nothing under a rate limit of 2 updates a second: the client waits out the 429', async () => {
    slack.setRateLimit({ method: 'chat.update', limit: 2, windowMs: 1000, retryAfterSeconds: 1 });
    const chat = chatFor();
    const request = await queuedDeploy(chat);
    const { logger } = capturingLogger();
    const reporter = new ProgressReporter({ chat, request, logger, intervalMs: 50 });
    for (const event of fiftyEvents()) {
      reporter.report(event);
      await sleep(12);
    }
    await reporter.finish({
      type: 'succeeded',
      address: 'http://127.0.0.1:31234',
      digest: `sha256:${'a'.repeat(64)}`,
    });

    expect(
      slack.rateLimited.filter((call) => call.method === 'chat.update').length,
    ).toBeGreaterThan(0);
    const refused = slack.callsTo('chat.update').filter((call) => call.status === 429).length;
    expect(refused).toBeGreaterThan(0);
    expect(deployMessage(request)).toMatch(ALL_DONE);
  });

  it('waits out a 429 itself when the chat hands it back, then sends the latest state', async () => {
    slack.setRateLimit({ method: 'chat.update', limit: 1, windowMs: 1000, retryAfterSeconds: 1 });
    const chat = chatFor({ rejectRateLimitedCalls: true });
    const request = await queuedDeploy(chat);
    const { logger, lines } = capturingLogger();
    const reporter = new ProgressReporter({ chat, request, logger, intervalMs: 50 });
    reporter.report({ type: 'stage-started', stage: 'source' });
    await sleep(100);
    reporter.report({ type: 'stage-finished', stage: 'source' });
    reporter.report({ type: 'stage-started', stage: 'test' });
    await sleep(100);
    reporter.report({ type: 'stage-finished', stage: 'test' });
    await reporter.finish({ type: 'failed', stage: 'build', reason: 'no Dockerfile' });

    expect(slack.callsTo('chat.update').some((call) => call.status === 429)).toBe(true);
    expect(lines().some((line) => line.msg === 'progress update rate-limited; waiting')).toBe(true);
    const shown = deployMessage(request).split('\n');
    expect(shown[0]).toBe(':x: Deploy of hello-world@main → staging failed');
    expect(shown.slice(2, 5)).toEqual([
      expect.stringMatching(/^:white_check_mark: Source · \d+\.\ds$/),
      expect.stringMatching(/^:white_check_mark: Test gate · \d+\.\ds$/),
      expect.stringMatching(/^:x: Build image · failed after \d+\.\ds$/),
    ]);
    expect(shown.slice(-2)).toEqual([
      expect.stringMatching(/^Failed at Build image after \d+\.\ds: no Dockerfile$/),
      '[Rollback]',
    ]);
  });

  it('ends a failure with the failure message, the log tail, the whole log and the on-call told', async () => {
    const chat = chatFor();
    const request = await queuedDeploy(chat);
    const { logger, lines } = capturingLogger();
    const reporter = new ProgressReporter({
      chat,
      request,
      logger,
      intervalMs: 100,
      notifications: { failureChannel: 'C2', mention: { users: ['U2'], userGroups: ['S1'] } },
    });
    reporter.report({ type: 'stage-started', stage: 'source' });
    reporter.report({ type: 'details', commit: SHA });
    reporter.report({ type: 'stage-finished', stage: 'source' });
    reporter.report({ type: 'stage-started', stage: 'test' });
    const log = Array.from({ length: 400 }, (_, i) => `test ${i} <ok>`).join('\n');
    await reporter.finish({
      type: 'failed',
      stage: 'test',
      reason: '3 tests failed',
      log: `${log}\nFAIL expected 200, got 500\n`,
    });

    const deploy = slack.channel('C1').message(request.origin.message ?? '');
    expect(deploy.rendered.split('\n')).toEqual([
      ':x: Deploy of hello-world@main → staging failed',
      'Requested by @alice · ref main · commit 3f2c9a1',
      expect.stringMatching(/^:white_check_mark: Source · \d+\.\ds$/),
      expect.stringMatching(/^:x: Test gate · failed after \d+\.\ds$/),
      ':heavy_minus_sign: Build image · skipped',
      ':heavy_minus_sign: Push image · skipped',
      ':heavy_minus_sign: Helm upgrade · skipped',
      ':heavy_minus_sign: Rollout · skipped',
      ':heavy_minus_sign: Address · skipped',
      expect.stringMatching(/^Failed at Test gate after \d+\.\ds: 3 tests failed$/),
      '[Rollback]',
    ]);

    const [tail, file] = deploy.replies;
    const tailLines = tail?.rendered.split('\n') ?? [];
    expect(tailLines[0]).toMatch(
      /^Last \d+ of 401 lines of the Test gate log; the whole log is in hello-world-test\.log:$/,
    );
    expect(tailLines.at(-1)).toBe('FAIL expected 200, got 500');
    expect(tailLines.at(-2)).toBe('test 399 <ok>');
    expect(file?.files.map((f) => f.name)).toEqual(['hello-world-test.log']);
    expect(file?.files[0]?.content).toBe(`${log}\nFAIL expected 200, got 500\n`);

    const notice = slack.channel('C2').messages;
    expect(notice).toHaveLength(1);
    expect(notice[0]?.rendered).toBe(
      [
        '@bob @oncall :x: Deploy of hello-world@main → staging failed at Test gate: 3 tests failed',
        'Requested by @alice in #deploys · view the deploy',
      ].join('\n'),
    );
    const permalink = slack.callsTo('chat.getPermalink')[0]?.response;
    expect(JSON.stringify(notice[0]?.blocks)).toContain(
      `${String((permalink as { permalink?: string } | undefined)?.permalink)}|view the deploy`,
    );
    expect(lines().filter((line) => line.level === 40)).toEqual([]);
  });

  it('posts the message itself when the job has none, and never throws when Slack refuses', async () => {
    const chat = chatFor();
    counter += 1;
    const request: DeployRequest = {
      id: `trigger-${counter}`,
      service: 'hello-world',
      ref: 'v1.2.0',
      environment: 'staging',
      origin: { channel: 'C1', user: { id: 'U1', name: 'alice' } },
      requestedAt: new Date().toISOString(),
    };
    const { logger } = capturingLogger();
    const reporter = new ProgressReporter({ chat, request, logger, intervalMs: 50 });
    reporter.report({ type: 'stage-started', stage: 'source' });
    await reporter.finish({ type: 'succeeded' });
    const [message] = slack.channel('C1').messages;
    expect(message?.rendered.split('\n')[0]).toBe(
      ':white_check_mark: Deployed hello-world@v1.2.0 → staging',
    );
    expect(reporter.message?.id).toBe(message?.ts);

    // The deploy's message is gone: the progress is posted anew and the thread goes under it.
    const gone = capturingLogger();
    const orphan = new ProgressReporter({
      chat,
      request: { ...request, origin: { ...request.origin, message: '1.000001' } },
      logger: gone.logger,
      intervalMs: 50,
    });
    orphan.report({ type: 'stage-started', stage: 'source' });
    await orphan.finish({ type: 'failed', stage: 'source', reason: 'clone failed', log: 'fatal' });
    expect(gone.lines().map((line) => line.msg)).toContain(
      'deploy message not found; posting a new one',
    );
    const reposted = slack.channel('C1').messages.at(-1);
    expect(reposted?.ts).toBe(orphan.message?.id);
    expect(reposted?.rendered.split('\n').slice(-2)).toEqual([
      expect.stringMatching(/^Failed at Source after \d+\.\ds: clone failed$/),
      '[Rollback]',
    ]);
    expect(reposted?.replies.map((reply) => reply.rendered)).toEqual(['Source log:\nfatal']);
  });

  it('never throws when Slack refuses everything; the failure channel is still told', async () => {
    const chat = chatFor();
    const { logger, lines } = capturingLogger();
    const reporter = new ProgressReporter({
      chat,
      request: {
        id: 'trigger-lost',
        service: 'hello-world',
        ref: 'main',
        environment: 'staging',
        origin: { channel: 'C0NOSUCH', user: { id: 'U1', name: 'alice' }, message: '1.000001' },
        requestedAt: new Date().toISOString(),
      },
      logger,
      intervalMs: 50,
      notifications: { failureChannel: 'C2', mention: { users: [], userGroups: [] } },
    });
    reporter.report({ type: 'stage-started', stage: 'source' });
    await expect(
      reporter.finish({ type: 'failed', stage: 'source', reason: 'clone failed', log: 'fatal' }),
    ).resolves.toBeUndefined();
    const warnings = lines()
      .filter((line) => line.level === 40)
      .map((line) => line.msg);
    expect(warnings).toContain('progress update failed');
    expect(slack.callsTo('chat.postMessage').map((call) => call.response.error)).toContain(
      'channel_not_found',
    );
    expect(slack.channel('C2').messages.map((m) => m.rendered)).toEqual([
      [
        ':x: Deploy of hello-world@main → staging failed at Source: clone failed',
        'Requested by @alice in #C0NOSUCH',
      ].join('\n'),
    ]);
  });
});

describe('SlackChat errors', () => {
  it('surfaces a refusal at once, as a ChatError of the right kind', async () => {
    const chat = chatFor();
    const missing = await chat
      .update(
        { channel: 'C1', id: '1.000001' },
        queuedMessage({
          id: 'x',
          service: 'hello-world',
          ref: 'main',
          environment: 'staging',
          origin: { channel: 'C1', user: { id: 'U1', name: 'alice' } },
          requestedAt: new Date().toISOString(),
        }),
      )
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(isChatError(missing, 'not_found')).toBe(true);
    expect((missing as ChatError).code).toBe('message_not_found');

    const tooMany = {
      summary: [{ kind: 'text' as const, text: 'x' }],
      blocks: Array.from({ length: 51 }, () => ({ kind: 'divider' as const })),
    };
    const refused = await chat.post('C1', tooMany).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isChatError(refused, 'refused')).toBe(true);
    expect((refused as ChatError).code).toBe('invalid_blocks');
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
  });
});
