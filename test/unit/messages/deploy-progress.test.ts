import { toSlackMessage, type SlackMessage } from '../../../core/adapters/slack/render-message.js';
import {
  advance,
  conclude,
  initialProgress,
  type DeployProgress,
} from '../../../core/domain/deploy-progress.js';
import { formatDuration } from '../../../core/domain/duration.js';
import {
  progressMessage as composeProgress,
  shortCommit,
} from '../../../core/messages/deploy-progress.js';
import { failureNotification as composeFailureNotification } from '../../../core/messages/failure-notification.js';
import { logTailMessage as composeLogTail } from '../../../core/messages/log-tail-message.js';
import { MESSAGE_LIMITS as SLACK_LIMITS } from '../../../core/ports/chat-message.js';
import { checkMessage, renderBlocks } from '../../support/slack/index.js';
import type { JsonValue } from '../../support/slack/json.js';

/** The messages as Slack receives them: composed, then rendered by the Slack adapter. */
const progressMessage = (progress: DeployProgress) => toSlackMessage(composeProgress(progress));
const failureNotification = (input: Parameters<typeof composeFailureNotification>[0]) =>
  toSlackMessage(composeFailureNotification(input));
function logTailMessage(input: Parameters<typeof composeLogTail>[0]) {
  const tail = composeLogTail(input);
  return { ...tail, message: toSlackMessage(tail.message) };
}

const names = {
  userName: (id: string) => ({ U1: 'alice', U2: 'bob', U3: 'carol' })[id],
  groupHandle: (id: string) => ({ S1: 'oncall' })[id],
  channelName: (id: string) => ({ C1: 'deploys' })[id],
};

function asJson(message: SlackMessage): JsonValue[] {
  return JSON.parse(JSON.stringify(message.blocks)) as JsonValue[];
}

/** What a person reads in Slack. */
function rendered(message: SlackMessage): string {
  return renderBlocks(asJson(message), names).join('\n');
}

function valid(message: SlackMessage): void {
  expect(checkMessage({ text: message.text, blocks: asJson(message) })).toEqual({ ok: true });
}

const T0 = new Date('2026-03-01T12:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const SHA = '3f2c9a1b7d4e5f60718293a4b5c6d7e8f9012345';

const request = {
  id: 'trigger-1',
  service: 'hello-world',
  ref: 'main',
  environment: 'staging',
  requestedBy: { id: 'U1', name: 'alice' },
};

function running(): DeployProgress {
  const progress = initialProgress(request);
  progress.startedAt = T0;
  progress.commit = SHA;
  progress.stages.source = { state: 'done', startedAt: T0, endedAt: at(1_200) };
  progress.stages.test = { state: 'done', startedAt: at(1_200), endedAt: at(13_500) };
  progress.stages.build = { state: 'running', startedAt: at(13_500) };
  return progress;
}

describe('progressMessage, read as a person would', () => {
  it('starts as a checklist of pending stages', () => {
    const message = progressMessage(initialProgress(request));
    expect(rendered(message)).toBe(
      [
        ':hourglass_flowing_sand: Starting hello-world@main → staging',
        'Requested by @alice · ref main',
        ':white_circle: Source',
        ':white_circle: Test gate',
        ':white_circle: Build image',
        ':white_circle: Push image',
        ':white_circle: Helm upgrade',
        ':white_circle: Rollout',
        ':white_circle: Address',
        '[Cancel]',
      ].join('\n'),
    );
    expect(message.text).toBe('Deploying hello-world@main → staging');
    valid(message);
  });

  it('shows done stages with durations, the running one, and the short commit', () => {
    const message = progressMessage(running());
    expect(rendered(message)).toBe(
      [
        ':rocket: Deploying hello-world@main → staging',
        'Requested by @alice · ref main · commit 3f2c9a1',
        ':white_check_mark: Source · 1.2s',
        ':white_check_mark: Test gate · 12.3s',
        ':arrows_counterclockwise: Build image · running…',
        ':white_circle: Push image',
        ':white_circle: Helm upgrade',
        ':white_circle: Rollout',
        ':white_circle: Address',
        '[Cancel]',
      ].join('\n'),
    );
    expect(message.text).toBe('Deploying hello-world@main → staging: Build image');
  });

  it('adds note lines: waiting behind another deploy, resumed after a restart', () => {
    const progress = initialProgress(request);
    progress.notes.push(
      {
        kind: 'waiting-behind',
        deploy: { service: 'hello-world', ref: 'v1.2.0', environment: 'staging' },
        requestedBy: 'U2',
      },
      { kind: 'resumed-after-restart' },
    );
    const lines = rendered(progressMessage(progress)).split('\n');
    expect(lines.slice(-3)).toEqual([
      ':hourglass_flowing_sand: Waiting behind hello-world@v1.2.0 → staging by @bob',
      ':recycle: Resumed after a worker restart',
      '[Cancel]',
    ]);
  });

  it('ends with the address, the image digest and the total time on success', () => {
    const progress = running();
    progress.stages.build = { state: 'done', startedAt: at(13_500), endedAt: at(40_000) };
    progress.stages.push = { state: 'done', startedAt: at(40_000), endedAt: at(45_000) };
    progress.stages.deploy = { state: 'done', startedAt: at(45_000), endedAt: at(50_000) };
    progress.stages.verify = { state: 'done', startedAt: at(50_000), endedAt: at(80_000) };
    progress.stages.report = { state: 'done', startedAt: at(80_000), endedAt: at(80_300) };
    progress.finishedAt = at(80_300);
    progress.address = 'http://198.51.100.10:31234';
    progress.digest = `sha256:${'ab'.repeat(32)}`;
    const message = progressMessage(progress);
    const lines = rendered(message).split('\n');
    expect(lines[0]).toBe(':white_check_mark: Deployed hello-world@main → staging');
    expect(lines.slice(2, 9)).toEqual([
      ':white_check_mark: Source · 1.2s',
      ':white_check_mark: Test gate · 12.3s',
      ':white_check_mark: Build image · 26.5s',
      ':white_check_mark: Push image · 5.0s',
      ':white_check_mark: Helm upgrade · 5.0s',
      ':white_check_mark: Rollout · 30.0s',
      ':white_check_mark: Address · 0.3s',
    ]);
    expect(lines.slice(9)).toEqual([
      'Live in 1m 20s',
      'Address: http://198.51.100.10:31234',
      `Image: sha256:${'ab'.repeat(32)}`,
      '[Rollback]',
    ]);
    expect(message.text).toBe('Deployed hello-world@main → staging: http://198.51.100.10:31234');
    valid(message);
  });

  it('ends with the failing stage, the reason and the rollback on failure', () => {
    const progress = running();
    progress.stages.build = { state: 'done', startedAt: at(13_500), endedAt: at(40_000) };
    progress.stages.push = { state: 'done', startedAt: at(40_000), endedAt: at(45_000) };
    progress.stages.deploy = { state: 'done', startedAt: at(45_000), endedAt: at(50_000) };
    progress.stages.verify = { state: 'failed', startedAt: at(50_000), endedAt: at(170_000) };
    progress.stages.report = { state: 'skipped' };
    progress.finishedAt = at(170_000);
    progress.failure = {
      stage: 'verify',
      reason: '0/2 pods ready after 120 s: CrashLoopBackOff',
      rolledBackToRevision: 4,
    };
    const message = progressMessage(progress);
    const lines = rendered(message).split('\n');
    expect(lines[0]).toBe(':x: Deploy of hello-world@main → staging failed');
    expect(lines.slice(7)).toEqual([
      ':x: Rollout · failed after 2m 00s',
      ':heavy_minus_sign: Address · skipped',
      'Failed at Rollout after 2m 50s: 0/2 pods ready after 120 s: CrashLoopBackOff',
      ':leftwards_arrow_with_hook: Rolled back to revision 4.',
      '[Rollback]',
    ]);
    expect(message.text).toBe(
      'Deploy of hello-world@main → staging failed at Rollout: 0/2 pods ready after 120 s: CrashLoopBackOff',
    );
    valid(message);
  });

  it('escapes user text so that nothing in it becomes a mention or a link', () => {
    const progress = initialProgress({ ...request, ref: 'feat/<!channel>' });
    progress.failure = { stage: 'test', reason: '<!here> see <https://evil.example|this>' };
    progress.finishedAt = at(1000);
    progress.notes.push({ kind: 'text', text: '<@U3> & co' });
    const message = progressMessage(progress);
    const raw = JSON.stringify(message.blocks);
    expect(raw).not.toMatch(/<!channel>|<!here>|<@U3>|<https:/);
    expect(rendered(message)).toContain(
      'Failed at Test gate: <!here> see <https://evil.example|this>',
    );
    expect(rendered(message)).toContain('<@U3> & co');
  });

  it('escapes user text in the plain-text notification too, in progress and failure messages', () => {
    const hostile = { ...request, ref: 'feat/<!channel>' };
    const progress = initialProgress(hostile);
    progress.failure = { stage: 'test', reason: '<@U3> see <https://evil.example|this>' };
    const ended = initialProgress(hostile);
    ended.finishedAt = at(1000);
    ended.address = 'http://10.0.0.1:30080/<!here>';
    const texts = [
      progressMessage(initialProgress(hostile)).text,
      progressMessage(progress).text,
      progressMessage(ended).text,
      failureNotification({ progress, mention: { users: ['U2'], userGroups: [] }, channelId: 'C1' })
        .text,
    ];
    for (const text of texts) {
      expect(text).not.toMatch(/<!channel>|<!here>|<@U3>|<https:/);
      expect(text).toContain('feat/&lt;!channel&gt;');
    }
    expect(texts[1]).toContain('&lt;@U3&gt; see &lt;https://evil.example|this&gt;');
  });

  it('stays within Slack limits with a huge reason and many notes', () => {
    const progress = running();
    progress.finishedAt = at(5000);
    progress.failure = { stage: 'build', reason: 'x'.repeat(50_000) };
    for (let i = 0; i < 40; i += 1) progress.notes.push({ kind: 'text', text: 'n'.repeat(5000) });
    const message = progressMessage(progress);
    valid(message);
    expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
    expect(rendered(message)).toMatch(/Failed at Build image after 5\.0s: x+…/);
  });
});

describe('logTailMessage', () => {
  it('puts a short log whole in a code block, without a file', () => {
    const tail = logTailMessage({
      service: 'hello-world',
      stage: 'test',
      log: 'FAIL test/app.test.ts\n  expected 200, got <500>\n',
    });
    expect(tail.file).toBeUndefined();
    expect(rendered(tail.message)).toBe(
      'Test gate log:\nFAIL test/app.test.ts\n  expected 200, got <500>',
    );
    expect(JSON.stringify(tail.message.blocks)).toContain('```');
    valid(tail.message);
  });

  it('keeps the end of a huge log within 3,000 characters and attaches the whole log', () => {
    const lines = Array.from({ length: 5_000 }, (_, i) => `line ${i} ${'.'.repeat(60)}`);
    const log = `${lines.join('\n')}\n`;
    const tail = logTailMessage({ service: 'hello-world', stage: 'test', log });
    valid(tail.message);
    const [block] = tail.message.blocks;
    expect(block?.type === 'section' ? block.text?.text.length : 0).toBeLessThanOrEqual(
      SLACK_LIMITS.sectionText,
    );
    const shown = rendered(tail.message).split('\n');
    expect(shown[0]).toMatch(
      /^Last \d+ of 5000 lines of the Test gate log; the whole log is in hello-world-test\.log:$/,
    );
    expect(shown.at(-1)).toBe(`line 4999 ${'.'.repeat(60)}`);
    expect(shown[1]).toMatch(/^line \d+ \.+$/);
    expect(tail.file).toEqual({
      filename: 'hello-world-test.log',
      title: 'Test gate log of hello-world',
      content: log,
    });
  });

  it('cannot be broken out of by a fence in the log', () => {
    const tail = logTailMessage({ service: 'svc', stage: 'build', log: 'a\n```\n<@U1> *bold*' });
    expect(rendered(tail.message)).toBe("Build image log:\na\n'''\n<@U1> *bold*");
  });

  it('says so when the log is empty', () => {
    const tail = logTailMessage({ service: 'svc', stage: 'build', log: '  \n' });
    expect(rendered(tail.message)).toBe('Build image wrote nothing to its log.');
    expect(tail.file).toBeUndefined();
  });
});

describe('failureNotification', () => {
  it('mentions the catalog users and groups and links the deploy', () => {
    const progress = running();
    progress.failure = { stage: 'test', reason: '3 tests failed' };
    const message = failureNotification({
      progress,
      mention: { users: ['U2'], userGroups: ['S1'] },
      channelId: 'C1',
      permalink: 'https://acme.slack.com/archives/C1/p1700000000000100',
    });
    expect(rendered(message)).toBe(
      [
        '@bob @oncall :x: Deploy of hello-world@main → staging failed at Test gate: 3 tests failed',
        'Requested by @alice in #deploys · view the deploy',
      ].join('\n'),
    );
    const raw = JSON.stringify(message.blocks);
    expect(raw).toContain('<@U2> <!subteam^S1>');
    expect(raw).toContain('<https://acme.slack.com/archives/C1/p1700000000000100|view the deploy>');
    expect(message.text).toBe('Deploy of hello-world@main → staging failed at Test gate');
    valid(message);
  });

  it('reads well with nobody to mention and no link', () => {
    const progress = running();
    progress.failure = { stage: 'deploy', reason: 'helm: timed out', rolledBackToRevision: 2 };
    const message = failureNotification({
      progress,
      mention: { users: [], userGroups: [] },
      channelId: 'C1',
    });
    expect(rendered(message)).toBe(
      [
        ':x: Deploy of hello-world@main → staging failed at Helm upgrade: helm: timed out Rolled back to revision 2.',
        'Requested by @alice in #deploys',
      ].join('\n'),
    );
  });
});

describe('formatting helpers', () => {
  it.each([
    [0, '0.0s'],
    [850, '0.9s'],
    [12_340, '12.3s'],
    [59_940, '59.9s'],
    [125_000, '2m 05s'],
    [3_725_000, '1h 02m'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('shortens SHAs only', () => {
    expect(shortCommit(SHA)).toBe('3f2c9a1');
    expect(shortCommit('v1.2.0')).toBe('v1.2.0');
  });
});

describe('the progress message with stages that overlap', () => {
  it('shows the gate and the build running at once, in the list order, then names both a cancel stopped', () => {
    let progress = initialProgress(request);
    progress = advance(progress, { type: 'stage-started', stage: 'source' }, T0);
    progress = advance(progress, { type: 'stage-finished', stage: 'source' }, at(1_000));
    progress = advance(progress, { type: 'stage-started', stage: 'test' }, at(1_000));
    progress = advance(progress, { type: 'stage-started', stage: 'build' }, at(1_000));
    const both = rendered(progressMessage(progress)).split('\n');
    expect(both).toContain(':arrows_counterclockwise: Test gate · running…');
    expect(both.indexOf(':arrows_counterclockwise: Test gate · running…')).toBeLessThan(
      both.indexOf(':arrows_counterclockwise: Build image · running…'),
    );
    progress = advance(progress, { type: 'stage-failed', stage: 'test' }, at(5_000));
    progress = advance(progress, { type: 'stage-stopped', stage: 'build' }, at(5_000));
    const ended = conclude(
      progress,
      { type: 'cancelled', by: { id: 'U2', name: 'bob' }, stage: 'test' },
      at(5_000),
    );
    const shown = rendered(progressMessage(ended));
    expect(shown).toContain(':no_entry_sign: Build image · cancelled after 4.0s');
    expect(shown).toContain(':no_entry_sign: Cancelled by @bob at Test gate and Build image.');
  });

  it('shows stages reused from an earlier deploy as skipped, and the image it reused', () => {
    let progress = initialProgress(request);
    for (const stage of ['test', 'build', 'push'] as const) {
      progress = advance(progress, { type: 'stage-skipped', stage }, at(500));
    }
    progress = advance(
      progress,
      {
        type: 'note',
        note: {
          kind: 'reused-image',
          image: '127.0.0.1:5000/team/hello-world:src-0123456789ab',
          testedAt: '2026-03-01T11:58:30.000Z',
        },
      },
      at(500),
    );
    const shown = rendered(progressMessage(progress)).split('\n');
    expect(shown).toEqual(
      expect.arrayContaining([
        ':heavy_minus_sign: Test gate · skipped',
        ':heavy_minus_sign: Build image · skipped',
        ':heavy_minus_sign: Push image · skipped',
        ':recycle: Reused image 127.0.0.1:5000/team/hello-world:src-0123456789ab, tested at 2026-03-01 11:58 UTC',
      ]),
    );
  });
});
