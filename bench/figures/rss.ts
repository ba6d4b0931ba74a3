/**
 * Figure 7: the resident memory of the bot and worker processes, as each reports it on
 * GET /metrics (process_resident_memory_bytes), run as the image runs them (plain node on the
 * esbuild output, no tsx): both idle (worker/main.ts on a queue of its own), then the bot after
 * 1,000 and 2,000 /deploy commands and a worker after running those 1,000 and 2,000 deploys with
 * the external steps instant (bench/instant-worker.ts: the same wiring, instant stages).
 */
import { sampleValue, scrape } from '../../test/support/prometheus-text.js';
import { uniqueName } from '../../test/support/test-env.js';
import { MANY_SERVICES, sendDeploys, startBotWorkspace } from '../bot-workspace.js';
import { buildAsShipped, spawnInstantWorkers, spawnTs } from '../processes.js';
import { watchQueue } from '../queue-watch.js';
import { conditions, entry, oneMinuteLoad, type BenchEntry } from '../result.js';
import type { FigureOptions } from './figure.js';

async function megabytes(port: number, metric: string): Promise<number> {
  const bytes = sampleValue(await scrape(port), metric);
  if (bytes === undefined) throw new Error(`no ${metric} on :${String(port)}`);
  return bytes / 2 ** 20;
}

const rssMb = (port: number) => megabytes(port, 'process_resident_memory_bytes');
/** The JavaScript heap in use: what tells retained objects from memory V8 keeps but does not use. */
const heapMb = (port: number) => megabytes(port, 'nodejs_heap_size_used_bytes');

export async function rssFigures(options: FigureOptions): Promise<BenchEntry[]> {
  const step = options.quick ? 100 : 1000;
  const shipped = await buildAsShipped();
  const workspace = await startBotWorkspace({
    services: MANY_SERVICES,
    limits: { deploysPerPersonPerMinute: 10, queuedDeploysPerRelease: 2 * step },
  });
  const { env, catalogDir } = workspace;
  const bot = await spawnTs('bot', 'bot/main.ts', env, catalogDir, 'PORT', shipped);
  const worker = await spawnTs(
    'worker',
    'worker/main.ts',
    { ...env, HARBORMASTER_QUEUE: uniqueName('bench-idle') },
    catalogDir,
    'WORKER_PORT',
    shipped,
  );
  const [deployer] = await spawnInstantWorkers(env, catalogDir, shipped, 1);
  const watched = watchQueue(env.HARBORMASTER_QUEUE ?? '');
  const startLoad = oneMinuteLoad();
  try {
    if (deployer === undefined) throw new Error('no instant worker');
    const idle = { bot: await rssMb(bot.port), worker: await rssMb(worker.port) };
    const after: number[] = [];
    const afterDeploys: number[] = [];
    for (let i = 0; i < 2; i += 1) {
      const sent = await sendDeploys(workspace, bot.port, workspace.people(step), 50);
      if (sent.notQueued > 0) throw new Error(`${String(sent.notQueued)} commands were not queued`);
      await watched.drained();
      after.push(await rssMb(bot.port));
      afterDeploys.push(await rssMb(deployer.port));
      const heaps = `heap used: bot ${(await heapMb(bot.port)).toFixed(1)}, worker ${(await heapMb(deployer.port)).toFixed(1)}`;
      options.log(
        `after ${String((i + 1) * step)}: bot ${String(after.at(-1))} MB, worker ${String(afterDeploys.at(-1))} MB RSS; ${heaps} MB`,
      );
    }
    const cond = conditions(
      startLoad,
      1,
      `process_resident_memory_bytes from /metrics; bot and worker run as the image runs them (node on esbuild output); commands 50 concurrent to 40 services, run by one instant worker (WORKER_CONCURRENCY=8, stages instant, message pacing off); read once the queue is empty`,
    );
    const [first = 0, second = 0] = after;
    const [firstDeploys = 0, secondDeploys = 0] = afterDeploys;
    return [
      entry({
        name: 'rss_mb_bot_idle',
        value: idle.bot,
        unit: 'MB',
        target: '< 120 MB',
        conditions: cond,
      }),
      entry({
        name: 'rss_mb_worker_idle',
        value: idle.worker,
        unit: 'MB',
        target: '< 150 MB',
        conditions: cond,
      }),
      entry({
        name: `rss_mb_bot_after_${String(2 * step)}_commands`,
        value: second,
        baseline: first,
        unit: 'MB',
        target: `< 120 MB, growth from ${String(step)} < 10 % (ratio < 1.10)`,
        conditions: cond,
      }),
      entry({
        name: `rss_mb_worker_after_${String(step)}_deploys`,
        value: firstDeploys,
        unit: 'MB',
        target: '< 150 MB',
        conditions: cond,
      }),
      entry({
        name: `rss_mb_worker_after_${String(2 * step)}_deploys`,
        value: secondDeploys,
        baseline: firstDeploys,
        unit: 'MB',
        target: `< 150 MB, growth from ${String(step)} < 10 % (ratio < 1.10)`,
        conditions: cond,
      }),
    ];
  } finally {
    await watched.close();
    await deployer?.process.stop();
    await bot.process.stop();
    await worker.process.stop();
    await workspace.stop();
  }
}
