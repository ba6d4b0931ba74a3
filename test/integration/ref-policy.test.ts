import { join } from 'node:path';
import { startBotHarness, CHANNEL, PEOPLE, type BotHarness } from '../support/bot-harness.js';
import { eventually } from '../support/eventually.js';
import { repoRoot } from '../support/paths.js';
import { testEnv } from '../support/test-env.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';

// Each environment says which refs it takes (environments.<name>.refs, allowCommits); the real
// Bolt app refuses the others privately, before anything is queued.
describe('which refs an environment takes, through the real Bolt app', () => {
  let harness: BotHarness;
  let people = 0;

  beforeAll(async () => {
    harness = await startBotHarness({
      redisUrl: testEnv().redisUrl,
      catalog: join(repoRoot, 'test', 'fixtures', 'catalogs', 'ref-policy.yaml'),
    });
  });
  afterAll(async () => {
    await harness.stop();
  });
  afterEach(() => {
    harness.slack.assertNoUnhandled();
  });

  /** Sends `/deploy <text>` as a person of its own, and returns what they were told privately. */
  async function refusalOf(text: string, person: { id: string; name: string }) {
    harness.slack.addUser(person);
    const response = await harness.inbound.slashCommand({
      command: '/deploy',
      text,
      user: person.id,
      channel: CHANNEL.id,
    });
    expect(response).toMatchObject({ status: 200, timedOut: false });
    const told = () => harness.slack.channel(CHANNEL.id).ephemeralFor(person.id);
    await harness.slack.waitFor(() => told().length > 0, { description: `a reply to ${text}` });
    return { reply: told().at(-1)?.rendered ?? '', jobId: `deploy-${response.triggerId}` };
  }

  it.each([
    ['a pull request ref', 'hello-api@refs/pull/1/head to staging', /pull request's ref/],
    ['a commit', `hello-api@${SHA} to production`, /production does not take commits/],
    ['a tag no pattern takes', 'hello-api@release-7 to production', /takes only refs matching v\*/],
    ['a ref of a directory service', 'hello-world@v9-approved to production', /has no branches/],
    ['a ref git would not take', 'hello-api@foo.lock/bar to staging', /ends with \.lock/],
  ])('refuses %s, says why, and queues nothing', async (_case, text, why) => {
    people += 1;
    const person = { id: `U0REF${String(people)}`, name: `rae${String(people)}` };
    const { reply, jobId } = await refusalOf(text, person);
    expect(reply).toMatch(why);
    expect(reply).toMatch(/\nNothing was queued\.$/);
    expect(await harness.job(jobId)).toBeUndefined();
    expect(harness.slack.channel(CHANNEL.id).messages.some((m) => m.rendered.includes(text))).toBe(
      false,
    );
  });

  it.each([
    ['a matching tag to production', 'hello-api@v1.2.0 to production', 'v1.2.0', 'production'],
    [
      'a pull request where a pattern names it',
      'hello-api@refs/pull/1/head to review',
      'refs/pull/1/head',
      'review',
    ],
    ['a commit where commits are allowed', `hello-api@${SHA} to review`, SHA, 'review'],
  ])('queues %s', async (_case, text, ref, environment) => {
    const response = await harness.inbound.slashCommand({
      command: '/deploy',
      text,
      user: PEOPLE.alice.id,
      channel: CHANNEL.id,
    });
    expect(response.status).toBe(200);
    const jobId = `deploy-${response.triggerId}`;
    await eventually('the job is queued', async () => (await harness.job(jobId)) !== undefined);
    expect((await harness.job(jobId))?.data).toMatchObject({
      service: 'hello-api',
      ref,
      environment,
    });
  });
});
