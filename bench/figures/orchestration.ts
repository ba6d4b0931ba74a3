/**
 * Figure 4: deploys a second through the real queue (Redis), worker, pipeline runner, records
 * and reporting to the Slack double, with the external steps instant (bench/instant-worker.ts),
 * for 1 and 2 worker processes. Each round: the queue paused, the workers started, `count`
 * /deploy commands queued through the bot (taking 40 services in turn, so that deploys of one
 * release rarely wait for each other's lock), then the queue resumed and timed until it is empty.
 * The sides alternate, several rounds each.
 */
import { sampleSum, scrape } from '../../test/support/prometheus-text.js';
import { eventually } from '../../test/support/eventually.js';
import {
  MANY_SERVICES,
  sendDeploys,
  startBotWorkspace,
  type BotWorkspace,
} from '../bot-workspace.js';
import {
  buildAsShipped,
  INSTANT_CONCURRENCY,
  spawnInstantWorkers,
  spawnTs,
  type RunningProcess,
} from '../processes.js';
import { watchQueue, type WatchedQueue } from '../queue-watch.js';
import { conditions, entry, oneMinuteLoad, type BenchEntry } from '../result.js';
import { median } from '../stats.js';
import type { FigureOptions } from './figure.js';

export interface Drained {
  perSecond: number;
  /** Deploys that did not end in success, by the workers' harbormaster_deploys_total. */
  unsuccessful: number;
  /** Deploys that found their release busy and waited (harbormaster_release_busy_total). */
  busy: number;
  /**
   * The workers' CPU time (user + system, process_cpu_seconds_total) from the queue's resumption
   * to its end, per deploy: what bounds deploys a second on a busy machine, where wall time does not.
   */
  cpuMsPerDeploy: number;
}

interface Round {
  workspace: BotWorkspace;
  bot: RunningProcess;
  watched: WatchedQueue;
  shipped: string;
  count: number;
}

const scrapeAll = (running: readonly RunningProcess[]) =>
  Promise.all(running.map((w) => scrape(w.port)));

/** A metric's samples (with these labels) summed over every worker's /metrics text. */
const sumOf = (scraped: readonly string[], name: string, labels = {}) =>
  scraped.reduce((total, text) => total + sampleSum(text, name, labels), 0);

async function drain(round: Round, workers: number): Promise<Drained> {
  const { watched, workspace, bot, count } = round;
  const { queue } = watched;
  await queue.pause();
  const running = await spawnInstantWorkers(
    workspace.env,
    workspace.catalogDir,
    round.shipped,
    workers,
  );
  try {
    const sent = await sendDeploys(workspace, bot.port, workspace.people(count), 50);
    if (sent.notQueued > 0) throw new Error(`${String(sent.notQueued)} commands were not queued`);
    // Every job announced (its hold ended), all of them waiting in the paused queue.
    await eventually('every job is queued', async () => {
      const counts = await queue.getJobCounts('wait', 'delayed');
      return counts.wait === count && counts.delayed === 0;
    });
    const cpuBefore = sumOf(await scrapeAll(running), 'process_cpu_seconds_total');
    const started = performance.now();
    await queue.resume();
    await watched.drained();
    const seconds = (performance.now() - started) / 1000;
    const scraped = await scrapeAll(running);
    const sum = (name: string, labels = {}) => sumOf(scraped, name, labels);
    const succeeded = sum('harbormaster_deploys_total', { result: 'succeeded' });
    return {
      perSecond: count / seconds,
      unsuccessful: count - succeeded,
      busy: sum('harbormaster_release_busy_total'),
      cpuMsPerDeploy: ((sum('process_cpu_seconds_total') - cpuBefore) * 1000) / count,
    };
  } finally {
    await Promise.all(running.map((w) => w.process.stop()));
    await queue.obliterate({ force: true });
  }
}

export async function orchestrationFigures(options: FigureOptions): Promise<BenchEntry[]> {
  const count = options.quick ? 200 : 300;
  const rounds = options.quick ? 2 : 5;
  const shipped = await buildAsShipped();
  const workspace = await startBotWorkspace({
    services: MANY_SERVICES,
    limits: { deploysPerPersonPerMinute: 10, queuedDeploysPerRelease: count },
  });
  const bot = await spawnTs(
    'bot',
    'bot/main.ts',
    workspace.env,
    workspace.catalogDir,
    'PORT',
    shipped,
  );
  const watched = watchQueue(workspace.env.HARBORMASTER_QUEUE ?? '');
  const round: Round = { workspace, bot, watched, shipped, count };
  const startLoad = oneMinuteLoad();
  const results: { one: Drained[]; two: Drained[] } = { one: [], two: [] };
  try {
    for (let r = 0; r < rounds; r += 1) {
      const order = r % 2 === 0 ? (['one', 'two'] as const) : (['two', 'one'] as const);
      for (const side of order) {
        results[side].push(await drain(round, side === 'one' ? 1 : 2));
        options.log(
          `orchestration round ${String(r + 1)}, ${side} worker(s): ${JSON.stringify(results[side].at(-1))}`,
        );
      }
    }
  } finally {
    await watched.close();
    await bot.process.stop();
    await workspace.stop();
  }
  return orchestrationEntries(results, {
    startLoad,
    rounds,
    notes: `${String(count)} /deploy commands per round queued through the bot, then run with the queue resumed; ${String(MANY_SERVICES.length)} services in turn; WORKER_CONCURRENCY=${String(INSTANT_CONCURRENCY)}; test gate, build, push, helm and rollout instant (bench/instant-stages.ts); real Redis, worker, runner, records and Slack double (rate limits off); the channel message's 1.2 s pacing off (with it, a deploy holds its slot >= 1.2 s: <= concurrency / 1.2 s per worker)`,
  });
}

/** The figure's entries from each side's rounds: medians, and the 2-worker median over the 1-worker one. */
export function orchestrationEntries(
  results: { one: readonly Drained[]; two: readonly Drained[] },
  run: { startLoad: number; rounds: number; notes: string },
): BenchEntry[] {
  const of = (side: readonly Drained[], key: keyof Drained) => side.map((d) => d[key]);
  const tally = (key: 'unsuccessful' | 'busy') =>
    [...of(results.one, key), ...of(results.two, key)].reduce((a, b) => a + b, 0);
  const cond = conditions(
    run.startLoad,
    run.rounds,
    `${run.notes}; ${String(tally('unsuccessful'))} deploys did not succeed, ${String(tally('busy'))} found their release busy`,
  );
  const one = median(of(results.one, 'perSecond'));
  const two = median(of(results.two, 'perSecond'));
  return [
    entry({
      name: 'orchestration_deploys_per_s',
      value: one,
      unit: '/s',
      target: '>= 200/s per worker',
      conditions: cond,
      samples: { value: of(results.one, 'perSecond') },
    }),
    entry({
      name: 'orchestration_deploys_per_s_2_workers',
      value: two,
      unit: '/s',
      target: '>= 400/s',
      conditions: cond,
      samples: { value: of(results.two, 'perSecond') },
    }),
    entry({
      name: 'orchestration_cpu_ms_per_deploy',
      value: median(of(results.one, 'cpuMsPerDeploy')),
      unit: 'ms',
      target: '<= 5 ms (200/s on one core)',
      conditions: cond,
      samples: { value: of(results.one, 'cpuMsPerDeploy') },
    }),
    entry({
      name: 'orchestration_scaling_2_workers',
      value: two / one,
      unit: '×',
      target: '>= 1.8',
      conditions: cond,
    }),
  ];
}
