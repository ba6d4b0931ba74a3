/**
 * `npm run bench [-- figure names]`: starts the real parts the tests use (dockerd, Redis,
 * registries, helm, the Node base image) and the doubles, measures each figure, prints a table
 * and writes bench/results.json. Asserts nothing. BENCH_QUICK=1 runs every figure small, for
 * developing the bench; its figures are not the product's.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestEnv } from '../test/support/start-test-env.js';
import { stopTestEnv } from '../test/support/stop-test-env.js';
import { ackFigures } from './figures/ack.js';
import { deployVsSeedFigures } from './figures/deploy-vs-seed.js';
import { slackCallFigures } from './figures/slack-calls.js';
import { orchestrationFigures } from './figures/orchestration.js';
import { rssFigures } from './figures/rss.js';
import { statusFigures } from './figures/status.js';
import type { Figure } from './figures/figure.js';
import { mergeEntries, table, type BenchEntry } from './result.js';

const figures: Figure[] = [
  {
    names: ['ack_p50_ms', 'ack_p99_ms', 'ack_p99_ratio', 'ack_throughput_per_s'],
    run: ackFigures,
  },
  {
    names: [
      'deploy_vs_seed_ratio',
      'redeploy_vs_seed_ratio',
      'build_vs_docker_cli_ratio',
      'push_vs_docker_cli_ratio',
    ],
    run: deployVsSeedFigures,
  },
  {
    names: [
      'orchestration_deploys_per_s',
      'orchestration_deploys_per_s_2_workers',
      'orchestration_cpu_ms_per_deploy',
      'orchestration_scaling_2_workers',
    ],
    run: orchestrationFigures,
  },
  { names: ['status_ms_1000_pods'], run: statusFigures },
  { names: ['slack_calls_per_deploy', 'slack_429s_reaching_a_person'], run: slackCallFigures },
  {
    names: [
      'rss_mb_bot_idle',
      'rss_mb_worker_idle',
      'rss_mb_bot_after_2000_commands',
      'rss_mb_bot_after_200_commands',
      'rss_mb_worker_after_1000_deploys',
      'rss_mb_worker_after_2000_deploys',
      'rss_mb_worker_after_100_deploys',
      'rss_mb_worker_after_200_deploys',
    ],
    run: rssFigures,
  },
];

const wanted = process.argv.slice(2);
const known = figures.flatMap((figure) => figure.names);
const unknown = wanted.filter((name) => !known.includes(name));
if (unknown.length > 0) {
  console.error(`unknown figures: ${unknown.join(', ')}; known: ${known.join(', ')}`);
  process.exit(2);
}
const chosen = figures.filter(
  (figure) => wanted.length === 0 || figure.names.some((name) => wanted.includes(name)),
);
const quick = process.env.BENCH_QUICK === '1';
const log = (line: string): void => {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
};

const resultsFile = join(import.meta.dirname, quick ? 'results.quick.json' : 'results.json');
const started = performance.now();
log(`starting the test environment (${quick ? 'quick mode' : 'full'})`);
await startTestEnv();
const setUpSeconds = (performance.now() - started) / 1000;
// Ctrl-C reaches the whole process group (the bot, worker and doubles' children); the real
// services started above are stopped here so that no dockerd is left holding its data root.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping the test environment`);
    void stopTestEnv().finally(() => process.exit(130));
  });
}
const measured: BenchEntry[] = [];
/** Where the run's time goes: each figure's duration, printed at the end. */
const durations: string[] = [];
try {
  for (const figure of chosen) {
    log(`measuring ${figure.names.join(', ')}`);
    const figureStarted = performance.now();
    try {
      measured.push(...(await figure.run({ quick, log, wanted })));
    } catch (error) {
      // One figure failing leaves the others' figures standing; the run still says it failed.
      process.exitCode = 1;
      log(`${figure.names.join(', ')} failed: ${(error as Error).stack ?? String(error)}`);
    }
    const seconds = (performance.now() - figureStarted) / 1000;
    durations.push(`${figure.names[0] ?? '?'} ${seconds.toFixed(0)} s`);
    log(`took ${seconds.toFixed(0)} s`);
  }
} finally {
  await stopTestEnv();
}
const previous = existsSync(resultsFile)
  ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as BenchEntry[])
  : [];
const all = mergeEntries(previous, measured, known);
writeFileSync(resultsFile, `${JSON.stringify(all, null, 2)}\n`);
console.log(`\n${table(measured)}\n`);
log(`set-up ${setUpSeconds.toFixed(0)} s; ${durations.join('; ')}`);
log(`wrote ${resultsFile} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
