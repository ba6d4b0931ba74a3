/**
 * Figure 7 (in part): the resident memory of the bot and worker processes, as each reports it on
 * GET /metrics (process_resident_memory_bytes), run as the image runs them (plain node on the
 * esbuild output, no tsx): both idle, and the bot after 1,000 and 2,000
 * acknowledged /deploy commands. The worker takes another queue, so it stays idle: its memory
 * after 1,000 and 2,000 deploys run with instant fakes is not measured here.
 */
import { sampleValue, scrape } from '../../test/support/prometheus-text.js';
import { uniqueName } from '../../test/support/test-env.js';
import { sendDeploys, startBotWorkspace } from '../bot-workspace.js';
import { buildAsShipped, spawnTs } from '../processes.js';
import { conditions, entry, oneMinuteLoad, type BenchEntry } from '../result.js';
import type { FigureOptions } from './figure.js';

async function rssMb(port: number): Promise<number> {
  const bytes = sampleValue(await scrape(port), 'process_resident_memory_bytes');
  if (bytes === undefined) throw new Error(`no process_resident_memory_bytes on :${String(port)}`);
  return bytes / 2 ** 20;
}

export async function rssFigures(options: FigureOptions): Promise<BenchEntry[]> {
  const step = options.quick ? 100 : 1000;
  const shipped = await buildAsShipped();
  const workspace = await startBotWorkspace();
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
  const startLoad = oneMinuteLoad();
  try {
    const idle = { bot: await rssMb(bot.port), worker: await rssMb(worker.port) };
    const after: number[] = [];
    for (let i = 0; i < 2; i += 1) {
      const sent = await sendDeploys(workspace, bot.port, workspace.people(step), 50);
      if (sent.notQueued > 0) throw new Error(`${String(sent.notQueued)} commands were not queued`);
      after.push(await rssMb(bot.port));
      options.log(`bot RSS after ${String((i + 1) * step)} commands: ${String(after.at(-1))} MB`);
    }
    const cond = conditions(
      startLoad,
      1,
      `process_resident_memory_bytes from /metrics; bot and worker run as the image runs them (node on esbuild output); commands 50 concurrent, each queued (no worker takes them); read right after the last answer`,
    );
    const [first = 0, second = 0] = after;
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
    ];
  } finally {
    await bot.process.stop();
    await worker.process.stop();
    await workspace.stop();
  }
}
