import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { CHANNEL, PEOPLE, startBotHarness, type BotHarness } from '../support/bot-harness.js';
import { requestIdFromTrigger } from '../../core/domain/idempotency.js';
import { eventually } from '../support/eventually.js';
import { testEnv } from '../support/test-env.js';

/** The catalog of two-environments.yaml, as a person outside the code would read it. */
const SERVICES = ['hello-world', 'hello-api'];
/** The people sending them are not deployers of production: staging is the only place they may deploy to. */
const MAY_DEPLOY_TO = ['staging'];

/** Through Bolt's own event processing (middleware, handler, ack), as many as the issue asks. */
const RUNS = 10_000;
/** Also over Slack's transport (Socket Mode envelopes, read as a person would). */
const TRANSPORT_RUNS = 400;

/** Words a hostile or careless person types where a name, a ref or an environment goes. */
const hostileWord = fc.constantFrom(
  ...SERVICES,
  'staging',
  'production',
  'to',
  'list',
  'help',
  // Prototype names: a lookup that reads them finds functions, not services.
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'prototype',
  // Flags and shell metacharacters.
  '--help',
  '-rf',
  '--upload-pack=touch /tmp/pwned',
  '$(id)',
  '`id`',
  ';reboot',
  '| sh',
  '&& curl x',
  '> /etc/passwd',
  '$HOME',
  // Paths.
  '../../etc/passwd',
  '/etc/passwd',
  '..\\..\\windows',
  'a/./b',
  '.hidden',
  'foo.lock/bar',
  'main.',
  '~/.ssh/id_rsa',
  // mrkdwn control sequences: mentions, broadcasts, disguised links, formatting.
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<@U0BOB>',
  '<#C0DEPLOYS>',
  '<!subteam^S0DEPLOYERS>',
  '<https://evil.example|hello-world>',
  '*bold*',
  '_it_',
  '~gone~',
  '```',
  '&lt;!channel&gt;',
  // Unicode: look-alikes, direction overrides, zero-width and control characters.
  'һello-world',
  'hello\u200b-world',
  '\u202ehello-world',
  'hello-world\u0000',
  '\u0007\u001b[31m',
  '\r\n',
  '\t',
  '🚀',
);

const fragment = fc.oneof(
  { weight: 6, arbitrary: hostileWord },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
);

/** A ref, service or environment glued to hostile fragments with @ and spaces. */
const commandText = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .array(fc.tuple(fragment, fc.constantFrom(' ', '@', ' to ', '', '  ')), {
        minLength: 1,
        maxLength: 5,
      })
      .map((parts) => parts.flat().join('').trim()),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  // Very long text: more than Slack shows in a section, within the 64 KiB a request may have
  // (4,000 characters of four UTF-8 bytes each, percent-encoded, are 48 KB).
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 3000, maxLength: 4000 }) },
);

const gitAccepts = (ref: string) =>
  spawnSync('git', ['check-ref-format', '--allow-onelevel', ref], { stdio: 'ignore' }).status === 0;

/**
 * The test's own reading of a deploy command, independent of the bot's parser: one word
 * `service[@ref]`, optionally `to <environment>`; names case-insensitive; a ref git accepts, in
 * a safe alphabet, not starting with a dash. undefined: not a deploy these people may ask for.
 */
function validDeploy(
  text: string,
): { service: string; ref?: string; environment: string } | undefined {
  const words = text.trim().split(/\s+/);
  const [first = '', to, environment = 'staging'] = words;
  if (words.length !== 1 && (words.length !== 3 || to?.toLowerCase() !== 'to')) return undefined;
  const at = first.indexOf('@');
  const service = (at === -1 ? first : first.slice(0, at)).toLowerCase();
  const ref = at === -1 ? undefined : first.slice(at + 1);
  if (!SERVICES.includes(service) || !MAY_DEPLOY_TO.includes(environment.toLowerCase())) {
    return undefined;
  }
  if (
    ref !== undefined &&
    !(/^[A-Za-z0-9._/][A-Za-z0-9._/-]{0,199}$/.test(ref) && gitAccepts(ref))
  ) {
    return undefined;
  }
  return { service, ...(ref === undefined ? {} : { ref }), environment: environment.toLowerCase() };
}

/** Slack's limits on a message: 50 blocks, 3,000 characters in a section's text. */
function withinSlackLimits(blocks: readonly Record<string, unknown>[]): boolean {
  return (
    blocks.length <= 50 &&
    blocks.every((block) => {
      const text = block.text as { text?: string } | undefined;
      return (text?.text?.length ?? 0) <= 3000;
    })
  );
}

describe('hostile /deploy commands through the real Bolt app', () => {
  let harness: BotHarness;

  /** Members of the workspace, none of them a deployer of production. */
  const people = Array.from({ length: 4 }, (_, at) => ({ id: `U0FUZZ${at}`, name: `fuzz${at}` }));

  beforeAll(async () => {
    // Socket Mode, the manifest's default: envelopes on one WebSocket, as a busy workspace sends them.
    harness = await startBotHarness({ redisUrl: testEnv().redisUrl, socketMode: true });
    for (const person of people) harness.slack.addUser(person);
  });
  afterAll(async () => {
    await harness.stop();
  });

  /** What the answer must be, for a command the bot refused (answer) or queued (none). */
  function judge(
    text: string,
    answer: { text: string; blocks: unknown[]; rendered: string } | undefined,
    outcome: Outcomes,
    jobId: string,
  ) {
    if (answer === undefined) {
      outcome.queued.push({ text, jobId });
      return;
    }
    outcome.refusals += 1;
    // A refusal says what is wrong and that nothing happened (a look-up of Slack's that took
    // too long on a busy machine included); help and list say what to type.
    expect(answer.rendered).toMatch(
      /\nNothing (new )?was queued\.$|Nothing was queued; try again|^Deploy a service\n|^Services\n/,
    );
    expect(answer.rendered).not.toMatch(/stack|at .*\.ts:\d+|\/work\//i);
    if (/Redis/.test(answer.rendered)) {
      // Only a deploy that is valid gets as far as the queue: nothing else is blamed on Redis.
      expect([text, validDeploy(text)]).toEqual([text, expect.anything()]);
      outcome.unconfirmed.push(/as job (deploy-\S+?)\./.exec(answer.rendered)?.[1] ?? '');
    }
    expect(withinSlackLimits(answer.blocks as Record<string, unknown>[])).toBe(true);
    expect(answer.text.length).toBeLessThanOrEqual(4000);
    // What was typed cannot mention anyone, broadcast, or disguise a link.
    expect(JSON.stringify([answer.text, answer.blocks])).not.toMatch(
      /<!(channel|here|everyone|subteam)|<@U0BOB>|<#C0DEPLOYS>|<https:\/\/evil/,
    );
  }

  /** Nothing was queued but the commands that were not refused; each is the deploy typed. */
  async function checkQueue(outcome: Outcomes, runs: number) {
    expect(outcome.refusals + outcome.queued.length).toBe(runs);
    const jobs = (await harness.jobs()).filter((job) =>
      [
        ...outcome.queued.map((entry) => entry.jobId),
        ...outcome.unconfirmed,
        ...outcome.sent,
      ].includes(job.id ?? ''),
    );
    const ids = jobs.map((job) => job.id ?? '');
    expect(ids).toEqual(expect.arrayContaining(outcome.queued.map((entry) => entry.jobId)));
    expect(ids.filter((id) => !outcome.queued.some((entry) => entry.jobId === id))).toEqual(
      ids.filter((id) => outcome.unconfirmed.includes(id)),
    );
    for (const { text, jobId } of outcome.queued) {
      const job = jobs.find((candidate) => candidate.id === jobId);
      const typed = validDeploy(text);
      expect([text, typed]).toEqual([text, expect.anything()]);
      expect(job?.data).toMatchObject({
        service: typed?.service,
        environment: typed?.environment,
        ...(typed?.ref === undefined ? {} : { ref: typed.ref }),
      });
    }
  }

  it(`${TRANSPORT_RUNS} over Socket Mode: each a valid deploy, or a private refusal that names the problem`, async () => {
    const outcome = newOutcomes();
    const channel = harness.slack.channel(CHANNEL.id);
    const send = async (text: string, person: { id: string }) => {
      const before = channel.ephemeralFor(person.id).length;
      const response = await harness.inbound.slashCommand({
        command: '/deploy',
        text,
        user: person.id,
        channel: CHANNEL.id,
      });
      outcome.sent.push(`deploy-${response.triggerId}`);
      expect([response.status, response.timedOut, response.error]).toEqual([200, false, undefined]);
      const answers = channel.ephemeralFor(person.id).slice(before);
      expect(answers.length).toBeLessThanOrEqual(1);
      judge(text, answers[0], outcome, `deploy-${response.triggerId}`);
    };
    await fc.assert(
      fc.asyncProperty(
        fc.array(commandText, { minLength: people.length, maxLength: people.length }),
        async (texts) => {
          await Promise.all(texts.map((text, at) => send(text, people[at] ?? PEOPLE.alice)));
        },
      ),
      { numRuns: TRANSPORT_RUNS / people.length, seed: 1313, endOnFailure: true },
    );
    await checkQueue(outcome, TRANSPORT_RUNS);
    // Not vacuous: among them are deploys the bot accepts, each announced in the channel.
    expect(outcome.queued.length).toBeGreaterThan(0);
    await eventually('every queued deploy is announced', async () =>
      (await harness.jobs()).every((job) => job.data.origin.message !== undefined),
    );
    harness.slack.assertNoUnhandled();
  }, 1_200_000);

  it(`${RUNS} through Bolt's event processing: each a valid deploy, or a private refusal that names the problem`, async () => {
    const outcome = newOutcomes();
    let sequence = 0;
    const send = async (text: string) => {
      sequence += 1;
      const triggerId = `${sequence}.${Date.now()}.fuzz`;
      const person = people[sequence % people.length] ?? PEOPLE.alice;
      let answer: unknown;
      let acked = 0;
      // What Bolt's receivers hand the app: the parsed form of a signed slash command.
      await harness.bot.app.processEvent({
        body: {
          token: 'unused',
          team_id: harness.slack.team.id,
          team_domain: harness.slack.team.domain,
          channel_id: CHANNEL.id,
          channel_name: CHANNEL.name,
          user_id: person.id,
          user_name: person.name,
          command: '/deploy',
          text,
          api_app_id: harness.slack.bot.appId,
          is_enterprise_install: 'false',
          response_url: `${harness.slack.baseUrl}/commands/unused`,
          trigger_id: triggerId,
        },
        ack: (response?: unknown) => {
          acked += 1;
          answer = response;
          return Promise.resolve();
        },
      });
      expect(acked).toBe(1);
      const jobId = requestIdFromTrigger(triggerId);
      outcome.sent.push(jobId);
      const reply = answer as { text?: string; blocks?: unknown[] } | undefined;
      judge(
        text,
        reply === undefined
          ? undefined
          : { text: reply.text ?? '', blocks: reply.blocks ?? [], rendered: mrkdwnAsRead(reply) },
        outcome,
        jobId,
      );
    };
    await fc.assert(fc.asyncProperty(commandText, send), {
      numRuns: RUNS,
      seed: 2626,
      endOnFailure: true,
    });
    await checkQueue(outcome, RUNS);
    expect(outcome.queued.length).toBeGreaterThan(0);
  }, 1_800_000);
});

interface Outcomes {
  queued: { text: string; jobId: string }[];
  /** Valid deploys the queue did not confirm in time (a busy machine): the job may exist. */
  unconfirmed: string[];
  /** Every request id sent, to tell this test's jobs from the other's. */
  sent: string[];
  refusals: number;
}

const newOutcomes = (): Outcomes => ({ queued: [], unconfirmed: [], sent: [], refusals: 0 });

/** An answer's text as read: its blocks' mrkdwn, code spans and escapes undone, one per line. */
function mrkdwnAsRead(reply: { text?: string; blocks?: unknown[] }): string {
  const texts = (reply.blocks ?? []).flatMap((block) => {
    const { text, elements } = block as {
      text?: { text?: string };
      elements?: { text?: string }[];
    };
    return [text?.text, ...(elements ?? []).map((element) => element.text)].filter(
      (part): part is string => part !== undefined,
    );
  });
  return (texts.length > 0 ? texts.join('\n') : (reply.text ?? ''))
    .replace(/[`*]/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
