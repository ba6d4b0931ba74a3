/**
 * Figure 3: how fast `/deploy` is acknowledged under load. Signed slash commands, as the Slack
 * double's inbound client makes them, to the real bot process (HTTP mode, real Redis) and to the
 * bare baseline process (bench/bare-ack-server.ts), alternating, several rounds each.
 */
import { rmSync } from 'node:fs';
import { ALERTS_CHANNEL, writeE2eCatalog } from '../../test/support/e2e-catalog.js';
import { CHANNEL } from '../../test/support/bot-harness.js';
import { startKubeApiDouble } from '../../test/support/kube-api/index.js';
import { startSlackDouble, type SlackInboundClient } from '../../test/support/slack/index.js';
import { uniqueName } from '../../test/support/test-env.js';
import { drive } from '../load.js';
import { productEnv, spawnTs } from '../processes.js';
import { conditions, entry, oneMinuteLoad, type BenchEntry } from '../result.js';
import { median, percentile } from '../stats.js';
import type { FigureOptions } from './figure.js';

interface Round {
  p50: number;
  p99: number;
  perSecond: number;
  /** Answers that were not an empty 200 (a refusal, an error, a time-out). */
  notQueued: number;
}

async function round(
  client: SlackInboundClient,
  users: string[],
  concurrency: number,
): Promise<Round> {
  let notQueued = 0;
  const { latencies, seconds } = await drive(users.length, concurrency, async (i) => {
    const response = await client.slashCommand({
      command: '/deploy',
      text: 'hello-world',
      user: users[i] ?? '',
      channel: CHANNEL.id,
    });
    if (response.status !== 200 || response.timedOut || response.body.trim() !== '') notQueued += 1;
  });
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    perSecond: users.length / seconds,
    notQueued,
  };
}

export async function ackFigures(options: FigureOptions): Promise<BenchEntry[]> {
  const total = options.quick ? 200 : 2000;
  const rounds = options.quick ? 2 : 5;
  const concurrency = 50;
  const signingSecret = `secret-${uniqueName('s')}`;
  const botToken = 'xoxb-harbormaster-bench';
  // Slack's rate tiers off: the bot's 2,000 announcements after the acks would otherwise queue
  // behind chat.postMessage's one-a-second for half an hour. The acks themselves call no Web API.
  const slack = await startSlackDouble({ botToken, signingSecret, rateLimits: 'off' });
  slack.addChannel(CHANNEL);
  slack.addChannel(ALERTS_CHANNEL);
  const kube = await startKubeApiDouble();
  const catalog = writeE2eCatalog(['hello-world']);
  const env = productEnv({
    catalogFile: catalog.catalogFile,
    kubeconfigPath: kube.kubeconfigPath,
    queueName: uniqueName('bench-ack'),
    slack: { botToken, signingSecret, apiUrl: slack.apiUrl },
  });
  const bot = await spawnTs('bot', 'bot/main.ts', env, catalog.dir, 'PORT');
  const bare = await spawnTs(
    'bare',
    'bench/bare-ack-server.ts',
    { ...env, BARE_QUEUE: uniqueName('bench-bare') },
    catalog.dir,
    'BARE_PORT',
  );
  const startLoad = oneMinuteLoad();
  const sides = {
    harbormaster: slack.inbound({
      requestUrl: `http://127.0.0.1:${String(bot.port)}/slack/events`,
    }),
    bare: slack.inbound({ requestUrl: `http://127.0.0.1:${String(bare.port)}/slack/events` }),
  };
  const results: { harbormaster: Round[]; bare: Round[] } = { harbormaster: [], bare: [] };
  let person = 0;
  // Each command from a person of its own: the double-submit guard would refuse the same
  // person's second /deploy hello-world while the first is queued.
  const people = (count: number): string[] =>
    Array.from({ length: count }, () => {
      person += 1;
      const id = `UB${String(person).padStart(8, '0')}`;
      slack.addUser({ id, name: `bench${String(person)}` });
      return id;
    });
  try {
    // Untimed: both processes' code paths compiled and their connections open before measuring.
    for (const side of ['harbormaster', 'bare'] as const) {
      await round(sides[side], people(100), concurrency);
    }
    for (let r = 0; r < rounds; r += 1) {
      // Alternate which side goes first, so that neither always meets a warmer machine.
      const order =
        r % 2 === 0 ? (['harbormaster', 'bare'] as const) : (['bare', 'harbormaster'] as const);
      for (const side of order) {
        results[side].push(await round(sides[side], people(total), concurrency));
        options.log(`ack round ${String(r + 1)} ${side}: ${JSON.stringify(results[side].at(-1))}`);
      }
    }
  } finally {
    await bot.process.stop();
    await bare.process.stop();
    await slack.stop();
    await kube.stop();
    rmSync(catalog.dir, { recursive: true, force: true });
  }
  const of = (side: Round[], key: keyof Round): number[] => side.map((x) => x[key]);
  const hm = results.harbormaster;
  const base = results.bare;
  const notQueued = of(hm, 'notQueued').reduce((a, b) => a + b, 0);
  const cond = conditions(
    startLoad,
    rounds,
    `${String(total)} signed /deploy commands per round, ${String(concurrency)} concurrent; bot and baseline each their own process; ${String(notQueued)} Harbormaster answers were not a plain queued ack; baseline: express + signature check + one BullMQ add`,
  );
  const p99 = median(of(hm, 'p99'));
  const baseP99 = median(of(base, 'p99'));
  return [
    entry({
      name: 'ack_p50_ms',
      value: median(of(hm, 'p50')),
      baseline: median(of(base, 'p50')),
      unit: 'ms',
      target: '(none)',
      conditions: cond,
      samples: { value: of(hm, 'p50'), baseline: of(base, 'p50') },
    }),
    entry({
      name: 'ack_p99_ms',
      value: p99,
      baseline: baseP99,
      unit: 'ms',
      target: '< 60 ms',
      conditions: cond,
      samples: { value: of(hm, 'p99'), baseline: of(base, 'p99') },
    }),
    entry({
      name: 'ack_p99_ratio',
      value: p99 / baseP99,
      unit: '×',
      target: '<= 1.2',
      conditions: cond,
    }),
    entry({
      name: 'ack_throughput_per_s',
      value: median(of(hm, 'perSecond')),
      baseline: median(of(base, 'perSecond')),
      unit: '/s',
      target: 'ratio >= 0.8',
      conditions: cond,
      samples: { value: of(hm, 'perSecond'), baseline: of(base, 'perSecond') },
    }),
  ];
}
