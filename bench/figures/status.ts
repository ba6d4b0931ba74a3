/**
 * Figure 6: how long `/status hello-world staging` takes with 1,000 pods in the release, from the
 * signed command the Slack double sends to the bot process (as shipped) to the private answer
 * the double receives, whose blocks it checks against Slack's limits. The pods are bound to a
 * node whose kubelet is not the double's, and marked Running and Ready through the API
 * (bench/virtual-pods.ts): real containers for 1,000 pods would not fit this machine.
 */
import { CHANNEL } from '../../test/support/bot-harness.js';
import { testEnv } from '../../test/support/test-env.js';
import { startBotWorkspace, type BotWorkspace } from '../bot-workspace.js';
import { buildAsShipped, spawnTs } from '../processes.js';
import { conditions, entry, oneMinuteLoad, type BenchEntry } from '../result.js';
import { median, percentile } from '../stats.js';
import { addVirtualPods } from '../virtual-pods.js';
import type { FigureOptions } from './figure.js';

interface Answer {
  ms: number;
  rendered: string;
  blocks: number;
}

/** One /status by a new person: the time to the private answer, and the answer. */
async function askStatus(workspace: BotWorkspace, port: number): Promise<Answer> {
  const [person = ''] = workspace.people(1);
  const channel = workspace.slack.channel(CHANNEL.id);
  const client = workspace.slack.inbound({
    requestUrl: `http://127.0.0.1:${String(port)}/slack/events`,
  });
  const started = performance.now();
  const response = await client.slashCommand({
    command: '/status',
    text: 'hello-world staging',
    user: person,
    channel: CHANNEL.id,
  });
  if (response.status !== 200) throw new Error(`/status answered ${String(response.status)}`);
  await workspace.slack.waitFor(() => channel.ephemeralFor(person).length > 0, {
    timeoutMs: 30_000,
    description: 'the /status answer',
  });
  const ms = performance.now() - started;
  const answer = channel.ephemeralFor(person).at(-1);
  return { ms, rendered: answer?.rendered ?? '', blocks: answer?.blocks.length ?? 0 };
}

export async function statusFigures(options: FigureOptions): Promise<BenchEntry[]> {
  const pods = options.quick ? 100 : 1000;
  const runs = options.quick ? 3 : 10;
  const shipped = await buildAsShipped();
  const workspace = await startBotWorkspace();
  const { env, catalogDir, namespace } = workspace;
  const bot = await spawnTs('bot', 'bot/main.ts', env, catalogDir, 'PORT', shipped);
  try {
    await addVirtualPods({
      api: workspace.kube,
      namespace,
      release: 'hello-world',
      image: `${testEnv().registry.address}/hello-world:virtual`,
      count: pods,
    });
    const startLoad = oneMinuteLoad();
    // Untimed: the bot loads its Kubernetes client at its first cluster call.
    const first = await askStatus(workspace, bot.port);
    if (!first.rendered.includes(`${String(pods)}/${String(pods)} pods ready`)) {
      throw new Error(`/status did not count ${String(pods)} ready pods:\n${first.rendered}`);
    }
    const answers: Answer[] = [];
    for (let i = 0; i < runs; i += 1) answers.push(await askStatus(workspace, bot.port));
    workspace.slack.assertNoUnhandled();
    const times = answers.map((a) => a.ms);
    const cond = conditions(
      startLoad,
      runs,
      `/status hello-world staging, ${String(pods)} Running pods in the release (bound to a node no kubelet of the double runs, status written through the API), bot as shipped, one at a time after an untimed first; from the signed command to the ephemeral answer at the Slack double; p99 ${percentile(times, 99).toFixed(0)} ms; the answer: ${String(first.blocks)} blocks, ${String(first.rendered.length)} characters, first line "${first.rendered.split('\n')[0] ?? ''}"`,
    );
    return [
      entry({
        name: 'status_ms_1000_pods',
        value: median(times),
        unit: 'ms',
        target: '< 500 ms',
        conditions: cond,
        samples: { value: times },
      }),
    ];
  } finally {
    await bot.process.stop();
    await workspace.stop();
  }
}
