/**
 * Figure 5: Slack Web API calls per deploy, and 429s that reached a person, with 20 deploys at
 * once in one channel through the bot and worker processes, under the Slack double's default
 * rate limits (as test/e2e/twenty-deploys.test.ts runs them). Each service is the tiny fixture.
 */
import { ALERTS_CHANNEL } from '../../test/support/e2e-catalog.js';
import { CHANNEL, PEOPLE } from '../../test/support/bot-harness.js';
import { eventually } from '../../test/support/eventually.js';
import { startSlackProcesses } from '../../test/support/process-harness.js';
import { conditions, entry, oneMinuteLoad, type BenchEntry } from '../result.js';
import type { FigureOptions } from './figure.js';

export async function slackCallFigures(options: FigureOptions): Promise<BenchEntry[]> {
  const count = options.quick ? 5 : 20;
  const services = Array.from({ length: count }, (_, i) => `svc${String(i + 1).padStart(2, '0')}`);
  // One person asks for all of them, as test/e2e/twenty-deploys.test.ts does: within their limit.
  const harness = await startSlackProcesses(services, {
    values: { replicaCount: 1 },
    limits: { deploysPerPersonPerMinute: count },
  });
  const startLoad = oneMinuteLoad();
  try {
    const started = Date.now();
    const jobIds = await Promise.all(
      services.map(async (service) => {
        const response = await harness.inbound.slashCommand({
          command: '/deploy',
          text: service,
          user: PEOPLE.alice.id,
          channel: CHANNEL.id,
        });
        if (response.status !== 200 || response.body.trim() !== '') {
          throw new Error(`/deploy ${service} was not queued: ${response.body}`);
        }
        return `deploy-${response.triggerId}`;
      }),
    );
    const states = new Map<string, string>();
    await eventually(
      'every deploy ends',
      async () => {
        for (const id of jobIds) states.set(id, (await (await harness.job(id))?.getState()) ?? '');
        return [...states.values()].every((s) => s === 'completed' || s === 'failed');
      },
      900_000,
    );
    const seconds = (Date.now() - started) / 1000;
    const { slack } = harness;
    const channel = slack.channel(CHANNEL.id);
    // What a person would see of Slack's limits: a deploy that did not end well, a private
    // "Slack is busy" answer, a late answer through a response URL, or an alert.
    const failed = [...states.values()].filter((s) => s !== 'completed').length;
    const reached =
      failed +
      channel.ephemeral.length +
      slack.responseUrls.filter((url) => url.uses > 0).length +
      slack.channel(ALERTS_CHANNEL.id).messages.length;
    const cond = conditions(
      startLoad,
      1,
      `${String(count)} deploys at once in one channel, bot and one worker process, Slack double's default limits; all ended after ${seconds.toFixed(1)} s; ${String(slack.calls.length)} Web API calls, ${String(slack.rateLimited.length)} answered 429 and waited out; ${String(failed)} deploys did not complete`,
    );
    return [
      entry({
        name: 'slack_calls_per_deploy',
        value: slack.calls.length / count,
        unit: 'calls',
        target: '(none)',
        conditions: cond,
      }),
      entry({
        name: 'slack_429s_reaching_a_person',
        value: reached,
        unit: 'count',
        target: '0',
        conditions: cond,
      }),
    ];
  } finally {
    await harness.stopAll();
  }
}
