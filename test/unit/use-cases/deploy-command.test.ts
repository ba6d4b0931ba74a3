import { createLogger } from '../../../core/logger.js';
import { deployCommandReply } from '../../../core/messages/command-replies.js';
import { ChatError } from '../../../core/ports/chat.js';
import { announceDeploy } from '../../../core/use-cases/announce-deploy.js';
import type { CommandDependencies } from '../../../core/use-cases/command-dependencies.js';
import { deployCommand } from '../../../core/use-cases/deploy-command.js';
import { checkStatusQuery, queryStatus } from '../../../core/use-cases/query-status.js';
import { catalog, PRODUCTION, STAGING } from '../../support/deploy-fixtures.js';
import {
  FakeChat,
  FakeCluster,
  FakeDeployQueue,
  FakeDirectory,
  FakeHelm,
  fakeBrakes,
  readMessage,
} from '../../support/fakes/index.js';

function setUp() {
  const queue = new FakeDeployQueue();
  const directory = new FakeDirectory({ S0RELEASE: ['U0BOB'] });
  const chat = new FakeChat();
  const cluster = new FakeCluster(new FakeHelm());
  const brakes = fakeBrakes();
  const deps: CommandDependencies = {
    catalog: catalog({ environments: { staging: STAGING, production: PRODUCTION } }),
    queue,
    directory,
    chat,
    cluster,
    ...brakes,
    logger: createLogger({ name: 'test', level: 'silent' }),
    now: () => new Date('2026-03-01T12:00:00Z'),
    callBudgetMs: { authorisation: 50, queue: 50 },
  };
  let trigger = 0;
  const ask = (text: string, user = { id: 'U0ALICE', name: 'alice' }) => {
    trigger += 1;
    const origin = { workspace: 'T0ACME', channel: 'C0DEPLOYS', user };
    return deployCommand({ text, origin, requestId: `deploy-${trigger}` }, deps);
  };
  return { deps, queue, directory, chat, cluster, brakes, ask };
}

/** The private reply, as a person reads it. */
const reply = (outcome: Awaited<ReturnType<typeof deployCommand>>) =>
  outcome.kind === 'queued' ? '(queued)' : readMessage(deployCommandReply(outcome));

describe('the /deploy use cases, surface-neutral, on fakes', () => {
  it('queues a deploy held until it is announced in the conversation', async () => {
    const { ask, queue, chat, deps } = setUp();
    const outcome = await ask('hello-world');
    expect(outcome).toMatchObject({ kind: 'queued', jobId: 'deploy-1' });
    if (outcome.kind !== 'queued') throw new Error('not queued');
    expect(outcome.request).toEqual({
      id: 'deploy-1',
      service: 'hello-world',
      ref: 'main',
      environment: 'staging',
      origin: { workspace: 'T0ACME', channel: 'C0DEPLOYS', user: { id: 'U0ALICE', name: 'alice' } },
      requestedAt: '2026-03-01T12:00:00.000Z',
    });
    expect(queue.jobs.get('deploy-1')?.released).toBe(false);

    // However long the post takes (Slack's rate limits), the job stays held until it lands.
    const heldDuringPost: boolean[] = [];
    const post = chat.post.bind(chat);
    chat.post = (channel, message) => {
      heldDuringPost.push(queue.heldWhile.has('deploy-1'));
      return post(channel, message);
    };
    const announced = await announceDeploy(outcome, deps);
    expect(heldDuringPost).toEqual([true]);
    const [posted] = chat.callsTo('post');
    expect(announced).toEqual({ kind: 'announced', messageId: posted?.id });
    expect(chat.read(posted?.id ?? '')).toMatch(/^@U0ALICE queued hello-world@main → staging\n/);
    expect(queue.jobs.get('deploy-1')).toMatchObject({
      released: true,
      request: { origin: { message: posted?.id } },
    });
  });

  it('writes the request to the audit log and the history just after the answer, losing nothing', async () => {
    const { ask, brakes } = setUp();
    const { audit, history } = brakes;
    const outcome = await ask('hello-world');
    expect(outcome.kind).toBe('queued');
    const refused = await ask('hello-world to nowhere');
    expect(refused.kind).toBe('refused');
    // The answer comes first: nothing in the notes is needed for it.
    expect(audit.entries).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(audit.entries.map((entry) => [entry.action, entry.jobId, entry.detail])).toEqual([
      ['deploy-requested', 'deploy-1', 'ref main'],
      ['refused', undefined, 'deploy: UNKNOWN_ENVIRONMENT'],
    ]);
    expect(history.records.get('deploy-1')).toMatchObject({ result: 'queued', ref: 'main' });
  });

  it('releases the job even when the conversation will not take the message', async () => {
    const { ask, queue, chat, deps } = setUp();
    const outcome = await ask('hello-world');
    if (outcome.kind !== 'queued') throw new Error('not queued');
    chat.failNext('post', new ChatError('refused', 'not in channel', { code: 'not_in_channel' }));
    expect(await announceDeploy(outcome, deps)).toEqual({ kind: 'not-posted' });
    expect(queue.jobs.get(outcome.jobId)?.released).toBe(true);
  });

  it('answers a second identical deploy as a duplicate, and queues nothing more', async () => {
    const { ask, queue } = setUp();
    await ask('hello-world');
    const again = await ask('hello-world');
    expect(again).toMatchObject({ kind: 'duplicate', jobId: 'deploy-1' });
    expect(reply(again)).toMatch(/is already queued \(job deploy-1\)/);
    expect(queue.jobs.size).toBe(1);
  });

  it('refuses, queueing nothing: unknown names, a bad ref, a person who may not deploy there', async () => {
    const { ask, queue } = setUp();
    expect(reply(await ask('helo-world'))).toMatch(
      /^There is no service called helo-world\. Did you mean hello-world\?/,
    );
    expect(reply(await ask('hello-world to prod'))).toMatch(/Did you mean production\?/);
    expect(reply(await ask('hello-world@--upload-pack=x'))).toMatch(/is not a ref I can deploy/);
    const refused = await ask('hello-world to production');
    expect(refused).toMatchObject({ kind: 'refused', refusal: { code: 'NOT_AUTHORISED' } });
    expect(reply(refused)).toMatch(/^You are not allowed to deploy to production\. Ask @S0RELEASE/);
    expect(queue.jobs.size).toBe(0);
    expect(await ask('hello-world to production', { id: 'U0BOB', name: 'bob' })).toMatchObject({
      kind: 'queued',
    });
  });

  it('says what is down, rather than guessing: the user-group look-up, or the queue', async () => {
    const { ask, queue, directory } = setUp();
    directory.unreachable = true;
    expect(await ask('hello-world to production')).toEqual({
      kind: 'authorisation-unavailable',
      environment: 'production',
    });
    directory.unreachable = false;
    queue.down = true;
    const down = await ask('hello-world');
    expect(down).toEqual({ kind: 'queue-unavailable' });
    expect(reply(down)).toMatch(/the deploy queue \(Redis\) is not answering\. Nothing was queued/);
  });

  it('lists the services and the environments this person may deploy to; help; unreadable', async () => {
    const { ask } = setUp();
    expect(await ask('list', { id: 'U0BOB', name: 'bob' })).toMatchObject({
      kind: 'listed',
      allowedEnvironments: ['staging', 'production'],
      defaultEnvironment: 'staging',
    });
    expect(reply(await ask('list'))).toMatch(/You may deploy to: staging \(default\)$/);
    expect(reply(await ask('help'))).toMatch(/^Deploy a service\n/);
    expect(reply(await ask('hello-world please'))).toMatch(
      /^I couldn't read \/deploy hello-world please\./,
    );
  });
});

const ALICE = { id: 'U0ALICE', name: 'alice' };
const BOB = { id: 'U0BOB', name: 'bob' };

describe('the /status use case on fakes', () => {
  it('answers only for environments where the asker is a viewer', async () => {
    const { deps, directory } = setUp();
    // production's viewers default to its deployers (the S0RELEASE group: bob).
    expect(await checkStatusQuery('production', ALICE, deps)).toEqual({
      kind: 'not-a-viewer',
      environments: ['production'],
    });
    expect(await checkStatusQuery('hello-world production', ALICE, deps)).toMatchObject({
      kind: 'not-a-viewer',
    });
    expect(await checkStatusQuery('', ALICE, deps)).toEqual({
      kind: 'accepted',
      query: { services: ['hello-world'], environments: ['staging'] },
    });
    expect(await checkStatusQuery('production', BOB, deps)).toEqual({
      kind: 'accepted',
      query: { services: ['hello-world'], environments: ['production'] },
    });
    directory.unreachable = true;
    expect(await checkStatusQuery('production', BOB, deps)).toEqual({
      kind: 'authorisation-unavailable',
    });
  });

  it('lets viewers and everyone see what they may not deploy', async () => {
    const { deps } = setUp();
    const production = deps.catalog.environments.production;
    if (production === undefined) throw new Error('no production');
    deps.catalog.environments.production = {
      ...production,
      viewers: { users: ['U0ALICE'], userGroups: [], everyone: false },
    };
    expect(await checkStatusQuery('production', ALICE, deps)).toMatchObject({ kind: 'accepted' });
    expect(await checkStatusQuery('production', BOB, deps)).toMatchObject({ kind: 'not-a-viewer' });
    deps.catalog.environments.staging = {
      ...STAGING,
      deployers: { users: ['U0BOB'], userGroups: [], everyone: false },
      viewers: { users: [], userGroups: [], everyone: true },
    };
    expect(await checkStatusQuery('staging', ALICE, deps)).toMatchObject({ kind: 'accepted' });
  });

  it('checks the words first, then reads each service in each environment asked for', async () => {
    const { deps, cluster } = setUp();
    expect(await checkStatusQuery('hello-wrld', ALICE, deps)).toEqual({
      kind: 'unknown-word',
      word: 'hello-wrld',
      suggestions: ['hello-world'],
    });
    const checked = await checkStatusQuery('hello-world staging', ALICE, deps);
    if (checked.kind !== 'accepted') throw new Error('refused');
    cluster.setPods('hello-world', [
      {
        name: 'hello-world-1',
        phase: 'Running',
        readyContainers: 1,
        totalContainers: 1,
        restarts: 0,
      },
    ]);
    const report = await queryStatus(checked.query, deps);
    expect(report.services).toEqual([
      {
        service: 'hello-world',
        release: 'hello-world',
        environment: 'staging',
        namespace: 'staging',
        pods: [expect.objectContaining({ name: 'hello-world-1' }) as unknown],
      },
    ]);
  });
});
