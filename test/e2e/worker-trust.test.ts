import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { createRedisConnection } from '../../core/adapters/redis-connection.js';
import { SlackChat } from '../../core/adapters/slack/slack-chat.js';
import type { DeployRequest } from '../../core/domain/deploy-request.js';
import { queuedMessage } from '../../core/messages/deploy-messages.js';
import { DEPLOYERS_GROUP, PEOPLE } from '../support/bot-harness.js';
import {
  CHANNEL,
  TINY_FIXTURE,
  startDeployHarness,
  type DeployHarness,
} from '../support/deploy-harness.js';
import { eventually } from '../support/eventually.js';
import { repoRoot } from '../support/paths.js';
import { testEnv } from '../support/test-env.js';
import { expectNoUnhandled, sendDeploy } from './deploy-helpers.js';

/**
 * The worker trusts nothing it reads from Redis: three jobs are waiting when it starts, one
 * changed in Redis after the bot signed it, one written there by hand, one asked for by a person
 * who has since lost the right. None of them runs (the test gate would leave a mark), and each
 * one's message says why.
 */
describe('the worker runs only what the bot signed, for people who may still deploy', () => {
  let harness: DeployHarness;
  const dir = mkdtempSync(join(tmpdir(), 'hm-trust-'));
  const marker = join(dir, 'the-test-gate-ran');
  const jobs = { changed: '', byHand: 'deploy-written-by-hand', lostRight: '' };
  let raw: Queue | undefined;

  /** The job's message once the job failed and the message says `expected`. */
  const messageSaying = async (jobId: string, expected: string, ts?: string) => {
    await eventually(
      `job ${jobId} fails`,
      async () => (await (await harness.job(jobId))?.getState()) === 'failed',
      60_000,
    );
    const at = ts ?? (await harness.job(jobId))?.data.origin.message;
    const rendered = () =>
      harness.slack.channel(CHANNEL.id).messages.find((m) => m.ts === at)?.rendered ?? '';
    await eventually(`the message of ${jobId} says why`, () =>
      Promise.resolve(rendered().includes(expected)),
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}:\n${rendered()}`, { cause: error });
    });
    return rendered();
  };

  const announced = (jobId: string) =>
    eventually(`job ${jobId} is announced`, async () => {
      const job = await harness.job(jobId);
      return job?.data.origin.message !== undefined && (await job.getState()) === 'waiting';
    });

  let byHandMessage = '';

  beforeAll(async () => {
    harness = await startDeployHarness([], {
      inProcessWorker: false,
      deployers: { userGroups: [DEPLOYERS_GROUP.id] },
      // Two services from directories (no refs to name), so that Bob's two deploys are two.
      catalogServices: Object.fromEntries(
        ['marked', 'marked-too'].map((name) => [
          name,
          {
            source: { path: TINY_FIXTURE },
            // What the test gate runs leaves a mark: a job that ran at all is seen.
            test: {
              command: [
                'node',
                '-e',
                "require('node:fs').writeFileSync(process.argv[1], 'ran')",
                marker,
              ],
            },
            buildArgs: { BASE_IMAGE: testEnv().nodeBaseImage },
            chart: join(repoRoot, 'chart', 'hello-world'),
          },
        ]),
      ),
    });
    // Bob may deploy: the bot signs and queues both, and announces them. No worker runs yet.
    jobs.lostRight = await sendDeploy(harness, 'marked to staging', PEOPLE.bob);
    jobs.changed = await sendDeploy(harness, 'marked-too to staging', PEOPLE.bob);
    await announced(jobs.lostRight);
    await announced(jobs.changed);

    // Someone who can write to Redis points the signed job at another ref.
    const changed = await harness.job(jobs.changed);
    await changed?.updateData({ ...changed.data, ref: 'evil' });
    // And writes a job of their own, pointing at a message of the bot's, signed by no one.
    const chat = new SlackChat({
      token: 'xoxb-harbormaster-test',
      slackApiUrl: harness.slack.apiUrl,
    });
    const request: DeployRequest = {
      id: jobs.byHand,
      service: 'marked',
      ref: 'main',
      environment: 'staging',
      origin: { channel: CHANNEL.id, user: { ...PEOPLE.bob } },
      requestedAt: new Date().toISOString(),
    };
    byHandMessage = await chat.post(CHANNEL.id, queuedMessage(request));
    const connection = createRedisConnection(harness.config.redis.url, { blocking: false });
    raw = new Queue(harness.queueName, { connection });
    await raw.add(
      'deploy',
      { ...request, origin: { ...request.origin, message: byHandMessage } },
      { jobId: jobs.byHand },
    );
    // And Bob leaves the deployers before any worker gets to his first deploy.
    harness.slack.addUserGroup({ ...DEPLOYERS_GROUP, users: [] });

    harness.startAnotherWorker();
  });

  afterEach(() => {
    expectNoUnhandled(harness);
  });

  afterAll(async () => {
    await raw?.close();
    await harness.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a job changed in Redis after the bot signed it, in its own message', async () => {
    const rendered = await messageSaying(
      jobs.changed,
      ':no_entry: A deploy job was refused: its signature does not match what it asks for',
    );
    expect(rendered).toContain('Nothing ran.');
    expect(harness.logs.join('')).toMatch(
      /"refusal":"forged"[^\n]*deploy job refused: nothing ran/,
    );
  });

  it('refuses a job written into Redis by hand, saying so in the message it points at', async () => {
    const rendered = await messageSaying(
      jobs.byHand,
      ':no_entry: A deploy job was refused: it carries no signature',
      byHandMessage,
    );
    expect(rendered).toContain('Nothing ran.');
  });

  it('refuses the deploy of a person who lost the right after asking', async () => {
    const rendered = await messageSaying(
      jobs.lostRight,
      'the requester may no longer deploy to staging (they are not among its deployers now); nothing was deployed.',
    );
    expect(rendered).toMatch(/^:x: Deploy of marked(@\S+)? → staging failed/);
  });

  it('ran nothing for any of them: no test gate, no image', async () => {
    for (const id of Object.values(jobs)) {
      expect(await (await harness.job(id))?.getState()).toBe('failed');
    }
    expect(existsSync(marker)).toBe(false);
    for (const service of ['marked', 'marked-too']) {
      const tags = await fetch(
        `http://${testEnv().registry.address}/v2/${harness.namespace}/${service}/tags/list`,
      );
      expect(tags.status).toBe(404);
    }
  });
});
