import type { Job } from 'bullmq';
import type { DeployRequest } from '../../core/domain/deploy-request.js';
import { PEOPLE } from '../support/bot-harness.js';
import { CHANNEL, type DeployHarness } from '../support/deploy-harness.js';
import type { SlackProcessHarness } from '../support/process-harness.js';
import { eventually } from '../support/eventually.js';

/** Deploys asked in Slack, by the bot in-process or as its own process. */
type SlackDeploys = Pick<DeployHarness | SlackProcessHarness, 'inbound' | 'slack' | 'job'>;

export async function sendDeploy(
  harness: SlackDeploys,
  text: string,
  user: { id: string } = PEOPLE.alice,
) {
  const response = await harness.inbound.slashCommand({
    command: '/deploy',
    text,
    user: user.id,
    channel: CHANNEL.id,
  });
  // On no answer at all, say why (a refused or reset connection), not only "status 0".
  expect({ ...response, error: response.error ?? 'none' }).toMatchObject({
    status: 200,
    timedOut: false,
    error: 'none',
  });
  // A queued deploy is acknowledged with nothing to show; a refusal or "already queued" is not.
  if (/"(text|blocks)"/.test(response.body)) {
    throw new Error(`/deploy ${text} was not queued: ${response.body}`);
  }
  return `deploy-${response.triggerId}`;
}

/** Waits for a deploy job's end (at most `limitMs`), then reads its message as the channel shows it. */
export async function finalMessage(harness: SlackDeploys, jobId: string, limitMs = 120_000) {
  await eventually(
    `the deploy ${jobId} ends`,
    async () =>
      ['completed', 'failed'].includes((await (await harness.job(jobId))?.getState()) ?? ''),
    limitMs,
  ).catch((error: unknown) => {
    // Say where the deploy stood: the channel's messages show each stage's state.
    throw new Error(`${(error as Error).message}\n${harness.slack.channel(CHANNEL.id).render()}`, {
      cause: error,
    });
  });
  const job = (await harness.job(jobId)) as Job<DeployRequest>;
  const message = harness.slack
    .channel(CHANNEL.id)
    .messages.find((m) => m.ts === job.data.origin.message);
  if (!message)
    throw new Error(`no message for ${jobId}:\n${harness.slack.channel(CHANNEL.id).render()}`);
  return { message, job, state: await job.getState() };
}

export async function deployAndWait(
  harness: SlackDeploys,
  text: string,
  user: { id: string } = PEOPLE.alice,
  limitMs?: number,
) {
  return finalMessage(harness, await sendDeploy(harness, text, user), limitMs);
}

/** Neither double met a request it did not understand. */
export function expectNoUnhandled(harness: {
  slack?: { assertNoUnhandled(): void };
  kube: { unhandled: unknown[] };
}): void {
  harness.slack?.assertNoUnhandled();
  expect(harness.kube.unhandled).toEqual([]);
}
