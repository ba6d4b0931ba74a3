import { rmSync } from 'node:fs';
import { CHANNEL } from '../test/support/bot-harness.js';
import { ALERTS_CHANNEL, writeE2eCatalog } from '../test/support/e2e-catalog.js';
import { startKubeApiDouble, type KubeApiDouble } from '../test/support/kube-api/index.js';
import { startSlackDouble, type SlackDouble } from '../test/support/slack/index.js';
import { uniqueName } from '../test/support/test-env.js';
import { drive } from './load.js';
import { productEnv } from './processes.js';

/**
 * Services for the figures that run many deploys: taken in turn, deploys of one release rarely
 * wait for each other's lock.
 */
export const MANY_SERVICES = Array.from(
  { length: 40 },
  (_, i) => `svc${String(i + 1).padStart(2, '0')}`,
);

export interface BotWorkspace {
  slack: SlackDouble;
  kube: KubeApiDouble;
  /** A catalog of copies of the tiny fixture (hello-world alone by default), open to everyone. */
  catalogDir: string;
  services: string[];
  /** The namespace of the catalog's one environment, staging. */
  namespace: string;
  env: NodeJS.ProcessEnv;
  /** `count` new people, each in the workspace, so that no /deploy is a double submit. */
  people(count: number): string[];
  stop(): Promise<void>;
}

/**
 * A Slack workspace (rate tiers off: the bot's thousands of announcements after the acks would
 * otherwise queue behind chat.postMessage's one a second), the Kubernetes double, and the
 * environment the bot and worker processes read.
 */
export async function startBotWorkspace(
  catalogOptions: { services?: string[]; limits?: object } = {},
): Promise<BotWorkspace> {
  const signingSecret = `secret-${uniqueName('s')}`;
  const botToken = 'xoxb-harbormaster-bench';
  const slack = await startSlackDouble({ botToken, signingSecret, rateLimits: 'off' });
  slack.addChannel(CHANNEL);
  slack.addChannel(ALERTS_CHANNEL);
  const kube = await startKubeApiDouble();
  const services = catalogOptions.services ?? ['hello-world'];
  const catalog = writeE2eCatalog(
    services,
    catalogOptions.limits ? { limits: catalogOptions.limits } : {},
  );
  const env = productEnv({
    catalogFile: catalog.catalogFile,
    kubeconfigPath: kube.kubeconfigPath,
    queueName: uniqueName('bench'),
    slack: { botToken, signingSecret, apiUrl: slack.apiUrl },
  });
  let person = 0;
  return {
    slack,
    kube,
    catalogDir: catalog.dir,
    services,
    namespace: catalog.namespace,
    env,
    people: (count) =>
      Array.from({ length: count }, () => {
        person += 1;
        const id = `UB${String(person).padStart(8, '0')}`;
        slack.addUser({ id, name: `bench${String(person)}` });
        return id;
      }),
    async stop() {
      await slack.stop();
      await kube.stop();
      if (process.env.KEEP_BENCH_DIR !== '1') rmSync(catalog.dir, { recursive: true, force: true });
    },
  };
}

/**
 * Signed `/deploy <service>` commands to `port`, one per person, taking the workspace's services
 * in turn; how many were not a plain ack.
 */
export async function sendDeploys(
  workspace: BotWorkspace,
  port: number,
  people: string[],
  concurrency: number,
): Promise<{ latencies: number[]; seconds: number; notQueued: number }> {
  const client = workspace.slack.inbound({
    requestUrl: `http://127.0.0.1:${String(port)}/slack/events`,
  });
  let notQueued = 0;
  const driven = await drive(people.length, concurrency, async (i) => {
    const response = await client.slashCommand({
      command: '/deploy',
      text: workspace.services[i % workspace.services.length] ?? 'hello-world',
      user: people[i] ?? '',
      channel: CHANNEL.id,
    });
    if (response.status !== 200 || response.timedOut || response.body.trim() !== '') notQueued += 1;
  });
  return { ...driven, notQueued };
}
