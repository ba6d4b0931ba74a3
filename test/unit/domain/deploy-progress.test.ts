import {
  advance,
  conclude,
  initialProgress,
  type DeployProgress,
  type ProgressEvent,
} from '../../../core/domain/deploy-progress.js';
import { deployRequest } from '../../support/deploy-fixtures.js';

const T0 = new Date('2026-03-01T12:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const { id, service, ref, environment, origin } = deployRequest();
const request = { id, service, ref, environment, requestedBy: origin.user };

function replay(events: [number, ProgressEvent][]): DeployProgress {
  return events.reduce(
    (progress, [ms, event]) => advance(progress, event, at(ms)),
    initialProgress(request),
  );
}

describe('the deploy progress reducer', () => {
  it('times each stage from its start to its end, and the deploy from its first stage', () => {
    const progress = replay([
      [100, { type: 'stage-started', stage: 'source' }],
      [1300, { type: 'stage-finished', stage: 'source' }],
      [1300, { type: 'stage-started', stage: 'test' }],
      [2000, { type: 'details', commit: 'abc123' }],
    ]);
    expect(progress.startedAt).toEqual(at(100));
    expect(progress.stages.source).toEqual({
      state: 'done',
      startedAt: at(100),
      endedAt: at(1300),
    });
    expect(progress.stages.test).toEqual({ state: 'running', startedAt: at(1300) });
    expect(progress.stages.build).toEqual({ state: 'pending' });
    expect(progress.commit).toBe('abc123');
  });

  it('never changes the state it is given', () => {
    const before = initialProgress(request);
    const copy = structuredClone(before);
    advance(before, { type: 'stage-started', stage: 'source' }, at(0));
    advance(before, { type: 'note', note: { kind: 'resumed-after-restart' } }, at(0));
    conclude(before, { type: 'failed', stage: 'source', reason: 'x' }, at(0));
    expect(before).toEqual(copy);
  });

  it('drops the waiting note once a stage runs; clear-notes drops them all', () => {
    const waiting = replay([
      [0, { type: 'note', note: { kind: 'resumed-after-restart' } }],
      [
        0,
        {
          type: 'note',
          note: {
            kind: 'waiting-behind',
            deploy: { service: 'hello-world', ref: 'v2', environment: 'staging' },
          },
        },
      ],
    ]);
    expect(waiting.notes).toHaveLength(2);
    const running = advance(waiting, { type: 'stage-started', stage: 'source' }, at(5));
    expect(running.notes).toEqual([{ kind: 'resumed-after-restart' }]);
    expect(advance(running, { type: 'clear-notes' }, at(6)).notes).toEqual([]);
  });

  it('ends a failure at its stage: later stages skipped, a running one failed, the rollback kept', () => {
    const progress = replay([
      [0, { type: 'stage-started', stage: 'source' }],
      [10, { type: 'stage-finished', stage: 'source' }],
      [10, { type: 'stage-started', stage: 'test' }],
    ]);
    const ended = conclude(
      progress,
      { type: 'failed', stage: 'verify', reason: 'CrashLoopBackOff', rolledBackToRevision: 3 },
      at(50),
    );
    expect(ended.failure).toEqual({
      stage: 'verify',
      reason: 'CrashLoopBackOff',
      rolledBackToRevision: 3,
    });
    expect(ended.stages.test).toEqual({ state: 'failed', startedAt: at(10), endedAt: at(50) });
    expect(ended.stages.verify).toEqual({ state: 'failed', startedAt: at(50), endedAt: at(50) });
    expect(ended.stages.build.state).toBe('skipped');
    expect(ended.finishedAt).toEqual(at(50));
  });

  it('ends a success with the address and digest, started even if no stage ever ran', () => {
    const ended = conclude(
      initialProgress(request),
      { type: 'succeeded', address: 'http://x', digest: 'sha256:1' },
      at(7),
    );
    expect(ended).toMatchObject({
      address: 'http://x',
      digest: 'sha256:1',
      startedAt: at(7),
      finishedAt: at(7),
    });
    expect(ended.failure).toBeUndefined();
  });
});
