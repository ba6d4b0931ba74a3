import { setTimeout as sleep } from 'node:timers/promises';
import { startBotHarness, CHANNEL, PEOPLE, type BotHarness } from '../support/bot-harness.js';
import { eventually } from '../support/eventually.js';
import { freePort } from '../support/free-port.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { STALE_OFFSET_SECONDS } from '../support/slack/index.js';
import { verifyDeployJob } from '../../core/domain/job-signature.js';
import { testEnv } from '../support/test-env.js';

describe('/deploy through the real Bolt app', () => {
  let harness: BotHarness;

  beforeAll(async () => {
    harness = await startBotHarness({ redisUrl: testEnv().redisUrl });
  });
  afterAll(async () => {
    await harness.stop();
  });
  afterEach(() => {
    harness.slack.assertNoUnhandled();
  });

  const deploy = (text: string, user: { id: string } = PEOPLE.alice) =>
    harness.inbound.slashCommand({ command: '/deploy', text, user: user.id, channel: CHANNEL.id });

  const jobsFor = async (user: { id: string }) =>
    (await harness.jobs()).filter((job) => job.data.origin.user.id === user.id);

  /** The last thing `user` was told privately in the channel. */
  const lastEphemeral = (user: { id: string }) =>
    harness.slack.channel(CHANNEL.id).ephemeralFor(user.id).at(-1)?.rendered;

  it('queues exactly one job and announces it in the channel', async () => {
    const response = await deploy('hello-world');
    expect(response).toMatchObject({ status: 200, timedOut: false });

    await harness.slack.waitFor(() => harness.slack.channel(CHANNEL.id).messages.length === 1);
    const [announcement] = harness.slack.channel(CHANNEL.id).messages;
    expect(announcement?.rendered).toMatch(
      /^@alice queued hello-world@main → staging\n:hourglass_flowing_sand: Waiting for a worker · job deploy-\S+\n\[Cancel\]$/,
    );

    const jobId = `deploy-${response.triggerId}`;
    await eventually(
      'the job carries its message',
      async () => (await harness.job(jobId))?.data.origin.message !== undefined,
    );
    expect((await jobsFor(PEOPLE.alice)).map((job) => job.data)).toEqual([
      {
        id: jobId,
        service: 'hello-world',
        ref: 'main',
        environment: 'staging',
        origin: {
          workspace: expect.any(String) as unknown,
          channel: CHANNEL.id,
          user: { id: PEOPLE.alice.id, name: 'alice' },
          message: announcement?.ts,
        },
        requestedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as unknown,
        signature: expect.stringMatching(/^v1=[0-9a-f]{64}$/) as unknown,
      },
    ]);
    // Signed for exactly this payload, message included, with the bot's key.
    const stored = (await harness.job(jobId))?.data as Record<string, unknown> | undefined;
    const payload = Object.fromEntries(
      Object.entries(stored ?? {}).filter(([key]) => key !== 'signature'),
    );
    expect(verifyDeployJob(stored, harness.config.jobs.key)).toEqual({
      ok: true,
      request: payload,
    });
    // Announced, so released at once rather than after the hold.
    expect(await (await harness.job(jobId))?.isDelayed()).toBe(false);
  });

  it('takes a ref and an environment, and the user group decides who may deploy to production', async () => {
    const response = await deploy('hello-api@v1.2.0 to production', PEOPLE.bob);
    expect(response.status).toBe(200);
    await eventually('bob has a job', async () => (await jobsFor(PEOPLE.bob)).length === 1);
    expect((await jobsFor(PEOPLE.bob))[0]?.data).toMatchObject({
      service: 'hello-api',
      ref: 'v1.2.0',
      environment: 'production',
    });
  });

  it('queues one job when Slack delivers the same command three times', async () => {
    const first = await deploy('hello-world to production', PEOPLE.releaser);
    const retries = [
      await harness.inbound.send(first.sent.body, { retry: { num: 1, reason: 'http_timeout' } }),
      await harness.inbound.send(first.sent.body, { retry: { num: 2, reason: 'http_timeout' } }),
    ];
    expect([first.status, ...retries.map((retry) => retry.status)]).toEqual([200, 200, 200]);
    await eventually(
      'the job is announced',
      async () => (await jobsFor(PEOPLE.releaser))[0]?.data.origin.message !== undefined,
    );
    expect(await jobsFor(PEOPLE.releaser)).toHaveLength(1);
    expect(
      harness.slack
        .channel(CHANNEL.id)
        .messages.filter((m) => m.rendered.startsWith('@rita queued')),
    ).toHaveLength(1);
  });

  it('queues one job when a person sends the same deploy twice, and tells them', async () => {
    const person = { id: 'U0DOUBLE', name: 'dora' };
    harness.slack.addUser(person);
    await deploy('hello-api', person);
    await deploy('hello-api', person);
    await eventually('the first job is there', async () => (await jobsFor(person)).length === 1);
    expect(await jobsFor(person)).toHaveLength(1);
    expect(lastEphemeral(person)).toMatch(
      /^hello-api@trunk → staging is already queued \(job deploy-[^)]+\); its progress is in this channel\.\nNothing new was queued\.$/,
    );
  });

  it.each([
    ['forged', { signature: 'forged' as const }],
    ['missing', { signature: 'missing' as const }],
    ['stale (over 5 minutes)', { timestampOffsetSeconds: STALE_OFFSET_SECONDS }],
  ])('refuses a %s signature with 401 and queues nothing', async (_kind, signing) => {
    const intruder = { id: `U0EVE${_kind.length}`, name: 'eve' };
    harness.slack.addUser(intruder);
    const response = await harness.inbound.slashCommand({
      command: '/deploy',
      text: 'hello-world',
      user: intruder.id,
      channel: CHANNEL.id,
      signing,
    });
    expect(response.status).toBe(401);
    await sleep(300);
    expect(await jobsFor(intruder)).toHaveLength(0);
  });

  describe('refusals are private, say what to type instead, and queue nothing', () => {
    const carol = { id: 'U0CAROL', name: 'carol' };
    beforeAll(() => {
      harness.slack.addUser(carol);
    });
    afterEach(async () => {
      expect(await jobsFor(carol)).toHaveLength(0);
    });

    it.each([
      [
        'helo-world',
        'There is no service called helo-world. Did you mean hello-world? Try /deploy hello-world.\nNothing was queued.',
      ],
      [
        'payments',
        'There is no service called payments. The services are hello-world, hello-api; /deploy list shows them.\nNothing was queued.',
      ],
      [
        'hello-world to prod',
        'There is no environment called prod. Did you mean production?\nNothing was queued.',
      ],
      [
        'hello-world to stagin',
        'There is no environment called stagin. Did you mean staging?\nNothing was queued.',
      ],
      [
        'hello-world@--upload-pack=touch to staging',
        '--upload-pack=touch is not a ref I can deploy: it starts with -. Type a branch, tag or commit, e.g. /deploy hello-world@v1.2.0.\nNothing was queued.',
      ],
      [
        'hello-world@main;reboot',
        'main;reboot is not a ref I can deploy: it has a character other than letters, digits and . _ / - + = , @. Type a branch, tag or commit, e.g. /deploy hello-world@v1.2.0.\nNothing was queued.',
      ],
      [
        'hello-world@../../etc/passwd',
        '../../etc/passwd is not a ref I can deploy: it contains ... Type a branch, tag or commit, e.g. /deploy hello-world@v1.2.0.\nNothing was queued.',
      ],
      [
        'hello-world please',
        "I couldn't read /deploy hello-world please. Type /deploy hello-world, /deploy hello-world@v1.2.0 to production, or /deploy help.\nNothing was queued.",
      ],
      [
        'constructor@main',
        'There is no service called constructor. The services are hello-world, hello-api; /deploy list shows them.\nNothing was queued.',
      ],
      [
        '__proto__@main',
        '__proto__ is not a service name: names are lower-case letters, digits and dashes (at most 53).\nNothing was queued.',
      ],
      [
        'hasOwnProperty',
        'There is no service called hasownproperty. The services are hello-world, hello-api; /deploy list shows them.\nNothing was queued.',
      ],
      [
        'hello-world to constructor',
        'There is no environment called constructor. The environments are staging, production.\nNothing was queued.',
      ],
      [
        'hello-world to __proto__',
        '__proto__ is not an environment name: names are lower-case letters, digits and dashes (at most 53).\nNothing was queued.',
      ],
      [
        'hello-world@main.',
        'main. is not a ref I can deploy: it ends with .. Type a branch, tag or commit, e.g. /deploy hello-world@v1.2.0.\nNothing was queued.',
      ],
      [
        'hello-world@.hidden',
        '.hidden is not a ref I can deploy: its part .hidden starts with .. Type a branch, tag or commit, e.g. /deploy hello-world@v1.2.0.\nNothing was queued.',
      ],
      [
        'hello-world@foo.lock/bar',
        'foo.lock/bar is not a ref I can deploy: its part foo.lock ends with .lock. Type a branch, tag or commit, e.g. /deploy hello-world@v1.2.0.\nNothing was queued.',
      ],
      [
        'hello-world@/etc/passwd',
        '/etc/passwd is not a ref I can deploy: it starts with /. Type a branch, tag or commit, e.g. /deploy hello-world@v1.2.0.\nNothing was queued.',
      ],
      [
        'hello-world@a/./b',
        'a/./b is not a ref I can deploy: its part . starts with .. Type a branch, tag or commit, e.g. /deploy hello-world@v1.2.0.\nNothing was queued.',
      ],
      [
        'Hello_World',
        'Hello_World is not a service name: names are lower-case letters, digits and dashes (at most 53). Did you mean hello-world?\nNothing was queued.',
      ],
      [
        'hello-world to <!channel>',
        '<!channel> is not an environment name: names are lower-case letters, digits and dashes (at most 53).\nNothing was queued.',
      ],
      [
        '<@U0BOB>@main',
        '< is not a service name: names are lower-case letters, digits and dashes (at most 53).\nNothing was queued.',
      ],
      [
        'hello-world to production',
        'You are not allowed to deploy to production. Ask @rita, @deployers to deploy it, or ask whoever runs Harbormaster to add you to environments.production.deployers.\nNothing was queued.',
      ],
    ])('/deploy %s', async (text, expected) => {
      const response = await deploy(text, carol);
      expect(response.status).toBe(200);
      expect(lastEphemeral(carol)).toBe(expected);
      // User text is escaped: what was typed cannot mention anyone or disguise a link.
      const last = harness.slack.channel(CHANNEL.id).ephemeralFor(carol.id).at(-1);
      const raw = JSON.stringify([last?.text, last?.blocks]);
      expect(raw).not.toMatch(/<!channel>|<@U0BOB>/);
    });
  });

  it('refuses a payload that breaks the request schema as malformed, naming the field, never blaming Redis', async () => {
    const erin = harness.slack.addUser({ id: 'U0ERIN', name: 'erin' });
    const response = await harness.inbound.slashCommand({
      command: '/deploy',
      text: 'hello-world',
      user: erin.id,
      channel: CHANNEL.id,
      forgedFields: { user_id: 'u0erin' },
    });
    expect(response.status).toBe(200);
    expect(lastEphemeral(erin)).toBe(
      ':x: I could not read this request: its field user_id is not a Slack user ID such as U024BE7LH. Try the command again; if it keeps failing, tell whoever runs Harbormaster.\nNothing was queued.',
    );
    expect(lastEphemeral(erin)).not.toMatch(/redis/i);
    expect(harness.logs.join('')).toMatch(/"level":40[^\n]*user_id/);
    expect(
      (await harness.jobs()).filter((job) => job.data.origin.user.id.toUpperCase() === 'U0ERIN'),
    ).toHaveLength(0);
  });

  it('refuses people of another workspace and guests', async () => {
    const guest =
      ':no_entry: Guests of this workspace may not use Harbormaster here. Ask whoever runs Harbormaster if you need to.\nNothing was queued.';
    const outsiders = [
      [
        harness.slack.addUser({ id: 'W0CONNECT', name: 'connie', teamId: 'T0OTHERTEAM' }),
        ':no_entry: People from another workspace may not use Harbormaster here. Ask whoever runs Harbormaster if you need to.\nNothing was queued.',
      ],
      [harness.slack.addUser({ id: 'U0GUEST', name: 'gus', isRestricted: true }), guest],
      [harness.slack.addUser({ id: 'U0SINGLE', name: 'sid', isUltraRestricted: true }), guest],
    ] as const;
    for (const [person, expected] of outsiders) {
      expect(await deploy('hello-world', person)).toMatchObject({ status: 200 });
      expect(lastEphemeral(person)).toBe(expected);
      expect(await jobsFor(person)).toHaveLength(0);
    }
  });

  it('refuses a request body over 64 KiB before any work, and queues nothing', async () => {
    const before = (await harness.jobs()).length;
    const response = await harness.inbound.slashCommand({
      command: '/deploy',
      text: `hello-world ${'x'.repeat(70_000)}`,
      user: PEOPLE.alice.id,
      channel: CHANNEL.id,
    });
    expect(response.status).toBe(413);
    expect(await harness.jobs()).toHaveLength(before);
  });

  it('answers help and list privately', async () => {
    const dave = { id: 'U0DAVE', name: 'dave' };
    harness.slack.addUser(dave);
    await deploy('help', dave);
    expect(lastEphemeral(dave)).toBe(
      [
        'Deploy a service',
        '/deploy <service> deploys its default branch to the default environment.',
        '/deploy <service>@<ref> to <environment> deploys a branch, tag or commit to an environment.',
        '/deploy <service> --rebuild tests, builds and pushes again, even when an image of the same source passed the test gate before and is reused otherwise.',
        '/deploy list shows the services and the environments you may deploy to.',
        '/status [service] [environment] shows the pods and addresses.',
        '',
        'Brakes and the rear-view mirror',
        '/deploy lock <service> [to <environment>] <reason>: nobody else deploys there until it is unlocked.',
        '/deploy unlock <service> [to <environment>] [--force] (--force removes someone else’s lock, and tells them).',
        '/deploy locks lists every lock.',
        '/deploy cancel <deploy-id> stops a deploy (or press its Cancel button).',
        '/deploy rollback <service> [to <environment>] [revision]: back to the previous successful revision, or the one named.',
        '/deploy history <service> [environment] shows the last 10 deploys.',
        '/deploy audit <service> | /deploy audit @person shows who did what.',
        'For example /deploy hello-world, /deploy hello-world@v1.2.0 to production',
      ].join('\n'),
    );
    await deploy('list', dave);
    expect(lastEphemeral(dave)).toBe(
      'Services\n• hello-world (default ref main)\n• hello-api (default ref trunk)\n\nYou may deploy to: staging (default)',
    );
    await deploy('list', PEOPLE.bob);
    expect(lastEphemeral(PEOPLE.bob)).toMatch(
      /You may deploy to: staging \(default\), production$/,
    );
    expect(await jobsFor(dave)).toHaveLength(0);
  });
});

describe('/deploy when Redis is down', () => {
  const expectedRefusal = [
    '#deploys',
    '(only visible to @alice) @harbormaster: :x: I could not queue the deploy: the deploy queue (Redis) is not answering. Nothing was queued. Try again in a minute; if it keeps failing, tell whoever runs Harbormaster.',
  ].join('\n');

  const deployAsAlice = (harness: BotHarness) =>
    harness.inbound.slashCommand({
      command: '/deploy',
      text: 'hello-world',
      user: PEOPLE.alice.id,
      channel: CHANNEL.id,
    });

  const ready = async (harness: BotHarness) =>
    (await fetch(`http://127.0.0.1:${harness.port}/readyz`)).status === 200;

  it('tells the user within the deadline that nothing was queued', async () => {
    const redis = await startRedisServer(testEnv().workDir);
    const harness = await startBotHarness({ redisUrl: redis.url });
    try {
      // Redis goes away while the bot runs, after it has been ready.
      await eventually('the bot is ready', () => ready(harness));
      await redis.process.stop();
      const response = await deployAsAlice(harness);
      expect(response).toMatchObject({ status: 200, timedOut: false });
      expect(harness.slack.channel(CHANNEL.id).renderFor(PEOPLE.alice.id)).toBe(expectedRefusal);
      expect(harness.slack.channel(CHANNEL.id).messages).toHaveLength(0);
    } finally {
      await harness.stop();
    }
  });

  it('a bot whose Redis never answered stops', async () => {
    const harness = await startBotHarness({ redisUrl: `redis://127.0.0.1:${await freePort()}` });
    const response = await deployAsAlice(harness);
    expect(response.status).toBe(200);
    // Before the fix, stop() waited for ever for a Redis that never answered (and jest never exited).
    await expect(harness.stop()).resolves.toBeUndefined();
  }, 20_000);

  it('a bot started before Redis refuses at once, queues nothing later, and deploys once Redis is up', async () => {
    const port = await freePort();
    const harness = await startBotHarness({ redisUrl: `redis://127.0.0.1:${port}` });
    let redis: RedisServer | undefined;
    try {
      const response = await deployAsAlice(harness);
      expect(response).toMatchObject({ status: 200, timedOut: false });
      expect(harness.slack.channel(CHANNEL.id).renderFor(PEOPLE.alice.id)).toBe(expectedRefusal);

      redis = await startRedisServer(testEnv().workDir, port);
      await eventually('the bot is ready', () => ready(harness));
      // The refused command was not held back and queued once Redis answered.
      expect(await harness.jobs()).toHaveLength(0);

      const retried = await deployAsAlice(harness);
      expect(retried.status).toBe(200);
      await eventually('the deploy is queued', async () => (await harness.jobs()).length === 1);
    } finally {
      await harness.stop();
      await redis?.process.stop();
    }
  });
});
