/**
 * Figure 3: how fast `/deploy` is acknowledged under load. Signed slash commands, as the Slack
 * double's inbound client makes them, to the real bot process (HTTP mode, real Redis) and to the
 * bare baseline process (bench/bare-ack-server.ts), alternating, several rounds each.
 */
import { uniqueName } from '../../test/support/test-env.js';
import { sendDeploys, startBotWorkspace, type BotWorkspace } from '../bot-workspace.js';
import { spawnTs } from '../processes.js';
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
  workspace: BotWorkspace,
  port: number,
  count: number,
  concurrency: number,
): Promise<Round> {
  const sent = await sendDeploys(workspace, port, workspace.people(count), concurrency);
  return {
    p50: percentile(sent.latencies, 50),
    p99: percentile(sent.latencies, 99),
    perSecond: count / sent.seconds,
    notQueued: sent.notQueued,
  };
}

export async function ackFigures(options: FigureOptions): Promise<BenchEntry[]> {
  const total = options.quick ? 200 : 2000;
  const rounds = options.quick ? 2 : 5;
  const concurrency = 50;
  // Every command is a new deploy to be queued, as the baseline's add is: the release's queue limit
  // (3 by default) would otherwise refuse all but the first few, and this would time refusals.
  const workspace = await startBotWorkspace({
    limits: { deploysPerPersonPerMinute: 10, queuedDeploysPerRelease: 100 + (rounds + 1) * total },
  });
  const { env, catalogDir } = workspace;
  const bot = await spawnTs('bot', 'bot/main.ts', env, catalogDir, 'PORT');
  const bare = await spawnTs(
    'bare',
    'bench/bare-ack-server.ts',
    { ...env, BARE_QUEUE: uniqueName('bench-bare') },
    catalogDir,
    'BARE_PORT',
  );
  const startLoad = oneMinuteLoad();
  const ports = { harbormaster: bot.port, bare: bare.port };
  const results: { harbormaster: Round[]; bare: Round[] } = { harbormaster: [], bare: [] };
  try {
    // Untimed: both processes' code paths compiled and their connections open before measuring.
    for (const side of ['harbormaster', 'bare'] as const) {
      await round(workspace, ports[side], 100, concurrency);
    }
    for (let r = 0; r < rounds; r += 1) {
      // Alternate which side goes first, so that neither always meets a warmer machine.
      const order =
        r % 2 === 0 ? (['harbormaster', 'bare'] as const) : (['bare', 'harbormaster'] as const);
      for (const side of order) {
        results[side].push(await round(workspace, ports[side], total, concurrency));
        options.log(`ack round ${String(r + 1)} ${side}: ${JSON.stringify(results[side].at(-1))}`);
      }
    }
  } finally {
    await bot.process.stop();
    await bare.process.stop();
    await workspace.stop();
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
  const both = (key: keyof Round) => ({
    value: median(of(hm, key)),
    baseline: median(of(base, key)),
    samples: { value: of(hm, key), baseline: of(base, key) },
    conditions: cond,
  });
  return [
    entry({ name: 'ack_p50_ms', unit: 'ms', target: '(none)', ...both('p50') }),
    entry({ name: 'ack_p99_ms', unit: 'ms', target: '< 60 ms', ...both('p99') }),
    entry({
      name: 'ack_p99_ratio',
      value: p99 / baseP99,
      unit: '×',
      target: '<= 1.2',
      conditions: cond,
    }),
    entry({
      name: 'ack_throughput_per_s',
      unit: '/s',
      target: 'ratio >= 0.8',
      ...both('perSecond'),
    }),
  ];
}
