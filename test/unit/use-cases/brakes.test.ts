import {
  BUTTON_ACTIONS,
  buttonValue,
  type ButtonPress,
} from '../../../core/domain/button-actions.js';
import type { DeployLock } from '../../../core/domain/deploy-lock.js';
import type { DeployRequest } from '../../../core/domain/deploy-request.js';
import { createLogger } from '../../../core/logger.js';
import { deployCommandReply } from '../../../core/messages/command-replies.js';
import type { CommandDependencies } from '../../../core/use-cases/command-dependencies.js';
import { deployCommand } from '../../../core/use-cases/deploy-command.js';
import { remindOldLocks } from '../../../core/use-cases/lock-notices.js';
import { pressButton } from '../../../core/use-cases/press-button.js';
import {
  catalog,
  PRODUCTION as SHARED_PRODUCTION,
  STAGING,
} from '../../support/deploy-fixtures.js';
import {
  FakeChat,
  FakeCluster,
  FakeDeployQueue,
  FakeDirectory,
  FakeHelm,
  fakeBrakes,
  readMessage,
} from '../../support/fakes/index.js';

// Tags only: the brakes (no ref of their own) are not held to it.
const PRODUCTION = { ...SHARED_PRODUCTION, refs: ['v*'] };
const ALICE = { id: 'U0ALICE', name: 'alice' };
const BOB = { id: 'U0BOB', name: 'bob' };
const CAROL = { id: 'U0CAROL', name: 'carol' };
const NOW = new Date('2026-03-01T12:00:00Z');

function setUp() {
  const chat = new FakeChat();
  const brakes = fakeBrakes();
  const deps: CommandDependencies = {
    catalog: catalog({ environments: { staging: STAGING, production: PRODUCTION } }),
    queue: new FakeDeployQueue(),
    // bob and carol may deploy to production; alice may not.
    directory: new FakeDirectory({ S0RELEASE: [BOB.id, CAROL.id] }),
    chat,
    cluster: new FakeCluster(new FakeHelm()),
    ...brakes,
    logger: createLogger({ name: 'test', level: 'silent' }),
    now: () => NOW,
    callBudgetMs: { authorisation: 50, queue: 50 },
  };
  let trigger = 0;
  const origin = (user: typeof ALICE) => ({ workspace: 'T0ACME', channel: 'C0DEPLOYS', user });
  const ask = async (text: string, user = ALICE) => {
    trigger += 1;
    const outcome = await deployCommand(
      { text, origin: origin(user), requestId: `deploy-${trigger}` },
      deps,
    );
    return {
      outcome,
      said: outcome.kind === 'queued' ? '(queued)' : readMessage(deployCommandReply(outcome)),
    };
  };
  const press = async (button: ButtonPress, user = ALICE, message = '1700000000.000100') => {
    trigger += 1;
    const actionId = BUTTON_ACTIONS[button.action];
    const outcome = await pressButton(
      {
        actionId,
        value: buttonValue(button),
        origin: { ...origin(user), message },
        requestId: `deploy-press-${trigger}`,
      },
      deps,
    );
    return {
      outcome,
      said: outcome.kind === 'queued' ? '(queued)' : readMessage(deployCommandReply(outcome)),
    };
  };
  return { deps, chat, brakes, ask, press };
}

function runningDeploy(user = BOB, environment = 'production'): DeployRequest {
  return {
    id: 'deploy-running',
    service: 'hello-world',
    ref: 'main',
    environment,
    origin: { workspace: 'T0ACME', channel: 'C0DEPLOYS', user, message: '1700000000.000200' },
    requestedAt: NOW.toISOString(),
  };
}

describe('the brakes’ use cases, surface-neutral, on fakes', () => {
  it('a lock refuses another person’s deploy with its reason, lets its holder through, and ends with unlock', async () => {
    const { ask } = setUp();
    expect((await ask('lock hello-world migrating the database', BOB)).outcome.kind).toBe('locked');
    const refused = await ask('hello-world', ALICE);
    expect(refused.outcome.kind).toBe('locked');
    expect(refused.said).toContain('migrating the database');
    expect(refused.said).toContain('locked by @U0BOB');
    expect((await ask('hello-world', BOB)).outcome.kind).toBe('queued');
    expect((await ask('unlock hello-world', BOB)).outcome.kind).toBe('unlocked');
    expect((await ask('hello-world', ALICE)).outcome.kind).toBe('queued');
  });

  it('unlock --force by a deployer removes someone else’s lock, is audited, and tells the holder', async () => {
    const { ask, brakes, chat } = setUp();
    await ask('lock hello-world to production release freeze', BOB);
    // Without --force, only the holder unlocks.
    expect((await ask('unlock hello-world to production', CAROL)).outcome.kind).toBe(
      'unlock-refused',
    );
    // alice may not deploy to production: she may not force it open either.
    expect((await ask('unlock hello-world to production --force', ALICE)).outcome.kind).toBe(
      'refused',
    );
    expect(brakes.locks.locks.size).toBe(1);

    const forced = await ask('unlock hello-world to production --force', CAROL);
    expect(forced.outcome).toMatchObject({ kind: 'unlocked', forced: true });
    expect(brakes.locks.locks.size).toBe(0);
    const entry = brakes.audit.entries.find((e) => e.action === 'unlock');
    expect(entry).toMatchObject({
      actor: CAROL,
      service: 'hello-world',
      environment: 'production',
    });
    expect(entry?.detail).toBe('forced: removed the lock of @bob (release freeze)');
    const toBob = chat.callsTo('post').filter((call) => call.channel === BOB.id);
    expect(toBob).toHaveLength(1);
    expect(toBob[0]?.message && readMessage(toBob[0].message)).toMatch(
      /removed your lock on hello-world → production/,
    );
  });

  it('a person who may not deploy there cannot press Cancel, Rollback or Unlock, and nothing happens', async () => {
    const { press, ask, brakes } = setUp();
    brakes.jobs.jobs.set('deploy-running', { request: runningDeploy(), state: 'running' });
    await ask('lock hello-world to production release freeze', BOB);
    const target = { service: 'hello-world', environment: 'production' };
    const presses: ButtonPress[] = [
      { action: 'cancel', jobId: 'deploy-running' },
      { action: 'rollback', jobId: 'deploy-running', ...target },
      { action: 'unlock', ...target },
    ];
    for (const button of presses) {
      const { outcome } = await press(button, ALICE);
      expect(outcome).toMatchObject({ kind: 'refused', refusal: { code: 'NOT_AUTHORISED' } });
    }
    expect(brakes.cancels.requests.size).toBe(0);
    expect(brakes.locks.locks.size).toBe(1);
    const refusals = brakes.audit.entries.filter((e) => e.action === 'refused');
    expect(refusals.map((e) => e.detail)).toEqual([
      'cancel button: NOT_AUTHORISED',
      'rollback button: NOT_AUTHORISED',
      'unlock button: NOT_AUTHORISED',
    ]);
    // A right taken away is gone: a lock alice took when she could deploy there is hers no more to
    // lift with the button.
    brakes.locks.locks.set('production/hello-world', {
      ...target,
      by: ALICE,
      reason: 'before her rights changed',
      lockedAt: NOW.toISOString(),
      channel: 'C0DEPLOYS',
    });
    const own = await press({ action: 'unlock', ...target }, ALICE, '1700000000.000300');
    expect(own.outcome).toMatchObject({ kind: 'refused' });
    expect(brakes.locks.locks.size).toBe(1);
  });

  it('a button pressed twice acts once; the second presser is told who pressed it first', async () => {
    const { press, brakes } = setUp();
    brakes.jobs.jobs.set('deploy-running', { request: runningDeploy(), state: 'running' });
    const first = await press({ action: 'cancel', jobId: 'deploy-running' }, CAROL);
    expect(first.outcome.kind).toBe('cancelling');
    const second = await press({ action: 'cancel', jobId: 'deploy-running' }, BOB);
    expect(second.outcome).toMatchObject({ kind: 'already-pressed', by: CAROL });
    expect(brakes.audit.entries.filter((e) => e.action === 'cancel')).toHaveLength(1);
    expect(brakes.cancels.requests.get('deploy-running')).toEqual(CAROL);
  });

  it('cancel takes a queued deploy off the queue and ends its message; a running one is asked to stop', async () => {
    const { ask, brakes, chat } = setUp();
    const announced = await chat.post('C0DEPLOYS', { summary: [], blocks: [] });
    const request = runningDeploy(ALICE, 'staging');
    const queued = {
      ...request,
      id: 'deploy-queued',
      origin: { ...request.origin, message: announced },
    };
    brakes.jobs.jobs.set('deploy-queued', { request: queued, state: 'queued' });
    brakes.jobs.jobs.set('deploy-running', { request: runningDeploy(), state: 'running' });

    expect((await ask('cancel deploy-queued', ALICE)).outcome.kind).toBe('cancelled-queued');
    expect(brakes.jobs.jobs.has('deploy-queued')).toBe(false);
    expect(brakes.history.records.get('deploy-queued')).toMatchObject({
      result: 'cancelled',
      cancelledBy: ALICE,
    });
    expect(chat.read(announced)).toContain('Cancelled by @U0ALICE before it started.');

    // alice may not stop bob's production deploy; carol may.
    expect((await ask('cancel deploy-running', ALICE)).outcome.kind).toBe('refused');
    expect(brakes.cancels.requests.has('deploy-running')).toBe(false);
    expect((await ask('cancel deploy-running', CAROL)).outcome.kind).toBe('cancelling');
    expect(brakes.cancels.requests.get('deploy-running')).toEqual(CAROL);
    expect((await ask('cancel deploy-nothing', CAROL)).outcome.kind).toBe('unknown-deploy');
  });

  it('a rollback names no git ref: it is queued whatever the ref policy, even for a directory', async () => {
    const { ask } = setUp();
    const { outcome } = await ask('rollback hello-world to production', CAROL);
    expect(outcome).toMatchObject({
      kind: 'queued',
      request: { kind: 'rollback', ref: 'previous', environment: 'production' },
    });
  });

  it('an old lock reminds its holder once, in the channel it was taken in, with an Unlock button', async () => {
    const { brakes, chat, deps } = setUp();
    const lock: DeployLock = {
      service: 'hello-world',
      environment: 'staging',
      by: BOB,
      reason: 'migrating',
      lockedAt: NOW.toISOString(),
      channel: 'C0DEPLOYS',
    };
    await brakes.locks.take(lock);
    const remind = (afterMs: number) =>
      remindOldLocks({
        locks: brakes.locks,
        chatFor: () => chat,
        logger: deps.logger,
        reminderAfterMs: 3600_000,
        now: () => new Date(NOW.getTime() + afterMs),
      });
    expect(await remind(3599_000)).toBe(0);
    expect(await remind(3600_000)).toBe(1);
    expect(await remind(7200_000)).toBe(0);
    const [post] = chat.callsTo('post');
    expect(post?.channel).toBe('C0DEPLOYS');
    expect(post?.message && readMessage(post.message)).toContain('[Unlock]');
  });
});
