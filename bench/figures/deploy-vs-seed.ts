/**
 * Figures 1 and 2: `/deploy hello-world` through the bot and worker processes into the Kubernetes
 * double, against bench/seed-script.sh on the same service, chart, registry and cluster double,
 * alternating. Figure 1 changes the source before every run; figure 2 leaves it as it is.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { CHANNEL, PEOPLE } from '../../test/support/bot-harness.js';
import { eventuallyValue } from '../../test/support/eventually.js';
import { repoRoot } from '../../test/support/paths.js';
import {
  startSlackProcesses,
  type SlackProcessHarness,
} from '../../test/support/process-harness.js';
import { testEnv } from '../../test/support/test-env.js';
import { conditions, entry, oneMinuteLoad, type BenchEntry } from '../result.js';
import { median } from '../stats.js';
import { stageSeconds } from '../stage-times.js';
import type { FigureOptions } from './figure.js';

const CHART = join(repoRoot, 'chart', 'hello-world');
const VALUES = join(CHART, 'values-staging.yaml');

interface Deployed {
  seconds: number;
  /** Harbormaster: its stages as the message shows them; the seed script: its steps. */
  stages: Record<string, number>;
}

/** The seed script's `seed-step <name> <seconds>` lines. */
function seedSteps(stdout: string): Record<string, number> {
  const steps: Record<string, number> = {};
  for (const [, name = '', seconds = ''] of stdout.matchAll(/^seed-step (\S+) (\d+\.\d+)$/gm)) {
    steps[name] = Number(seconds);
  }
  return steps;
}

/** One /deploy, from the command to the job's end, and its stages as the message shows them. */
async function harbormasterDeploy(harness: SlackProcessHarness): Promise<Deployed> {
  const started = Date.now();
  const response = await harness.inbound.slashCommand({
    command: '/deploy',
    text: 'hello-world',
    user: PEOPLE.alice.id,
    channel: CHANNEL.id,
  });
  if (response.status !== 200 || response.body.trim() !== '') {
    throw new Error(
      `/deploy hello-world was not queued: ${String(response.status)} ${response.body}`,
    );
  }
  const job = await eventuallyValue(
    'the deploy ends',
    async () => {
      const found = await harness.job(`deploy-${response.triggerId}`);
      return found?.finishedOn === undefined ? undefined : found;
    },
    600_000,
  );
  const message = harness.slack
    .channel(CHANNEL.id)
    .messages.find((m) => m.ts === job.data.origin.message);
  const state = await job.getState();
  if (state !== 'completed' || !message?.rendered.startsWith(':white_check_mark: Deployed')) {
    throw new Error(`the deploy ended ${state}:\n${message?.rendered ?? '(no message)'}`);
  }
  return {
    seconds: ((job.finishedOn ?? started) - started) / 1000,
    stages: stageSeconds(message.rendered),
  };
}

async function seedDeploy(
  harness: SlackProcessHarness,
  source: string,
  run: number,
): Promise<Deployed> {
  const image = `${testEnv().registry.address}/${harness.namespace}/hello-world-seed`;
  const started = performance.now();
  const { stdout } = await execa(
    join(repoRoot, 'bench', 'seed-script.sh'),
    [source, image, `run-${String(run)}`, 'hello-world-seed', harness.namespace, CHART, VALUES],
    {
      env: {
        DOCKER_HOST: testEnv().dockerHost,
        KUBECONFIG: harness.kube.kubeconfigPath,
        HELM_BIN: testEnv().helmBin,
        BASE_IMAGE: testEnv().nodeBaseImage,
        CI: 'true',
      },
    },
  );
  return { seconds: (performance.now() - started) / 1000, stages: seedSteps(stdout) };
}

interface Series {
  harbormaster: Deployed[];
  seed: Deployed[];
}

async function alternate(
  harness: SlackProcessHarness,
  source: string,
  runs: number,
  change: boolean,
  options: FigureOptions,
  label: string,
): Promise<Series> {
  const series: Series = { harbormaster: [], seed: [] };
  let counter = 0;
  const touch = (): void => {
    counter += 1;
    if (change)
      appendFileSync(
        join(source, 'src', 'main.ts'),
        `// bench change ${label} ${String(counter)} ${randomUUID()}\n`,
      );
  };
  for (let run = 0; run < runs; run += 1) {
    // Alternating, Harbormaster last in the last run: the unchanged series that follows then
    // starts from the source Harbormaster deployed last, as a redeploy does.
    const hmFirst = (runs - 1 - run) % 2 === 1;
    for (const side of hmFirst ? ['hm', 'seed'] : ['seed', 'hm']) {
      touch();
      if (side === 'hm') series.harbormaster.push(await harbormasterDeploy(harness));
      else series.seed.push(await seedDeploy(harness, source, counter));
      const last = side === 'hm' ? series.harbormaster.at(-1) : series.seed.at(-1);
      options.log(`${label} run ${String(run + 1)} ${side}: ${JSON.stringify(last)}`);
    }
  }
  return series;
}

function medianStages(deploys: Deployed[]): Record<string, number> {
  const names = [...new Set(deploys.flatMap((d) => Object.keys(d.stages)))];
  return Object.fromEntries(
    names.map((name) => [name, median(deploys.map((d) => d.stages[name] ?? 0))]),
  );
}

function stageText(stages: Record<string, number>): string {
  return Object.entries(stages)
    .map(([stage, seconds]) => `${stage} ${seconds.toFixed(1)} s`)
    .join(', ');
}

function entries(
  name: string,
  series: Series,
  startLoad: number,
  runs: number,
  target: string,
  what: string,
): BenchEntry {
  const hm = series.harbormaster.map((d) => d.seconds);
  const seed = series.seed.map((d) => d.seconds);
  return entry({
    name,
    value: median(hm) / median(seed),
    unit: '×',
    target,
    conditions: conditions(
      startLoad,
      runs,
      `${what}; Harbormaster median ${median(hm).toFixed(1)} s, seed script median ${median(seed).toFixed(1)} s; Harbormaster's median stages: ${stageText(medianStages(series.harbormaster))}; the seed script's median steps: ${stageText(medianStages(series.seed))}`,
    ),
    samples: { value: hm, baseline: seed },
  });
}

/**
 * Harbormaster's build and push (dockerode, the Engine API) against the docker CLI's in the seed
 * script, same context, daemon and registry, from the changed series: where the time goes.
 */
function dockerEntries(series: Series, startLoad: number, runs: number): BenchEntry[] {
  const pairs = [
    ['build_vs_docker_cli_ratio', 'Build image', 'docker-build'],
    ['push_vs_docker_cli_ratio', 'Push image', 'docker-push'],
  ] as const;
  return pairs.map(([name, stage, step]) => {
    const value = series.harbormaster.map((d) => d.stages[stage] ?? Number.NaN);
    const baseline = series.seed.map((d) => d.stages[step] ?? Number.NaN);
    return entry({
      name,
      value: median(value),
      baseline: median(baseline),
      unit: 's',
      target: '(none: explains the deploy figure)',
      conditions: conditions(
        startLoad,
        runs,
        `the source changed before every run; Harbormaster's "${stage}" stage as its message shows it (0.1 s steps; the build runs while the test gate runs beside it) against the seed script's \`${step.replace('-', ' ')}\` on the same context, daemon and registry (the CLI's legacy builder, as Harbormaster's)`,
      ),
      samples: { value, baseline },
    });
  });
}

export async function deployVsSeedFigures(options: FigureOptions): Promise<BenchEntry[]> {
  const runs = options.quick ? 1 : Number(process.env.BENCH_DEPLOY_RUNS ?? '5');
  const dir = mkdtempSync(join(tmpdir(), 'hm-bench-deploy-'));
  const source = join(dir, 'hello-world');
  cpSync(join(repoRoot, 'service'), source, {
    recursive: true,
    filter: (path) => !path.includes('node_modules'),
  });
  const harness = await startSlackProcesses([], {
    catalogServices: {
      'hello-world': {
        source: { path: source },
        test: { command: ['npm', 'test'], timeoutSeconds: 600 },
        buildArgs: { BASE_IMAGE: testEnv().nodeBaseImage },
        chart: CHART,
        values: { staging: [VALUES] },
      },
    },
  });
  const results: BenchEntry[] = [];
  try {
    // Untimed: each side once, so that both meet Docker's layer cache and npm's cache warm;
    // Harbormaster last, so that an unchanged series run alone starts as a redeploy.
    await seedDeploy(harness, source, 0);
    await harbormasterDeploy(harness);
    const want = (name: string): boolean =>
      options.wanted.length === 0 || options.wanted.includes(name);
    const changedFigures = [
      'deploy_vs_seed_ratio',
      'build_vs_docker_cli_ratio',
      'push_vs_docker_cli_ratio',
    ];
    if (changedFigures.some(want)) {
      const startLoad = oneMinuteLoad();
      const series = await alternate(harness, source, runs, true, options, 'changed');
      results.push(
        entries(
          'deploy_vs_seed_ratio',
          series,
          startLoad,
          runs,
          '<= 0.80',
          'the source changed before every run',
        ),
        ...dockerEntries(series, startLoad, runs),
      );
    }
    if (want('redeploy_vs_seed_ratio')) {
      const startLoad = oneMinuteLoad();
      const series = await alternate(harness, source, runs, false, options, 'unchanged');
      results.push(
        entries(
          'redeploy_vs_seed_ratio',
          series,
          startLoad,
          runs,
          '<= 0.20',
          'the source unchanged between runs',
        ),
      );
    }
  } finally {
    await harness.stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
