import { LogLevel, WebClient, type Logger } from '@slack/web-api';
import type { PodSummary } from '../../../core/ports/cluster.js';
import { toSlackMessage, type SlackMessage } from '../../../core/adapters/slack/render-message.js';
import { MESSAGE_LIMITS as SLACK_LIMITS } from '../../../core/ports/chat-message.js';
import { formatAge } from '../../../core/messages/status-lines.js';
import {
  statusMessage as composeStatus,
  type ServiceStatus,
} from '../../../core/messages/status-message.js';
import {
  checkMessage,
  renderBlocks,
  startSlackDouble,
  type SlackDouble,
} from '../../support/slack/index.js';
import type { JsonValue } from '../../support/slack/json.js';

/** The message as Slack receives it: composed, then rendered by the Slack adapter. */
const statusMessage = (input: Parameters<typeof composeStatus>[0]) =>
  toSlackMessage(composeStatus(input));

const NOW = new Date('2026-03-01T12:00:00Z');
const BOT_TOKEN = 'xoxb-status-test';

const names = {
  userName: () => undefined,
  groupHandle: () => undefined,
  channelName: () => undefined,
};

/** The blocks as Slack receives them: JSON. */
function asJson(message: SlackMessage): JsonValue[] {
  return JSON.parse(JSON.stringify(message.blocks)) as JsonValue[];
}

/** Every text of every block, as Slack counts toward a message's size. */
function blockText(message: SlackMessage): string {
  return message.blocks
    .flatMap((block) => {
      if (block.type === 'section') return [block.text?.text ?? ''];
      if (block.type === 'context') return block.elements.map((e) => ('text' in e ? e.text : ''));
      return [];
    })
    .join('');
}

/** What a person reads in Slack. */
function rendered(message: SlackMessage): string {
  return renderBlocks(asJson(message), names).join('\n');
}

function ago(ms: number): Date {
  return new Date(NOW.getTime() - ms);
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function pod(name: string, extra: Partial<PodSummary> = {}): PodSummary {
  return {
    name,
    phase: 'Running',
    readyContainers: 1,
    totalContainers: 1,
    restarts: 0,
    createdAt: ago(3 * MINUTE),
    node: 'node-1',
    ...extra,
  };
}

function status(
  service: string,
  environment: string,
  extra: Partial<ServiceStatus> = {},
): ServiceStatus {
  return {
    service,
    environment,
    release: service,
    namespace: `${service}-${environment}`,
    pods: [],
    ...extra,
  };
}

const nodePort = {
  kind: 'node-port',
  host: '198.51.100.10',
  port: 31234,
  url: 'http://198.51.100.10:31234',
} as const;

/** Every pod as a line, for inputs large enough to be summarised. */
function manyPods(prefix: string, count: number, problems = 0): PodSummary[] {
  return Array.from({ length: count }, (_, index) =>
    pod(`${prefix}-${String(index).padStart(4, '0')}`, {
      node: `node-${index % 7}`,
      createdAt: ago(index * MINUTE),
      ...(index < problems
        ? { problem: 'CrashLoopBackOff', readyContainers: 0, restarts: index + 1 }
        : {}),
    }),
  );
}

describe('statusMessage, read as a person would in Slack', () => {
  it('shows a service with its address, then its pods, problems first', () => {
    const message = statusMessage({
      now: NOW,
      services: [
        status('hello-world', 'staging', {
          address: nodePort,
          pods: [
            pod('hello-world-7d9c5-abcde', { createdAt: ago(3 * MINUTE), node: 'node-1' }),
            pod('hello-world-7d9c5-fghij', {
              readyContainers: 0,
              restarts: 4,
              createdAt: ago(2 * HOUR),
              node: 'node-2',
              problem: 'CrashLoopBackOff',
            }),
          ],
        }),
      ],
    });
    expect(rendered(message)).toBe(
      [
        'hello-world · staging · 1/2 pods ready · :warning: 1 pod with a problem · http://198.51.100.10:31234',
        '• hello-world-7d9c5-fghij 0/1 · Running · 4 restarts · 2h · node-2 · :warning: CrashLoopBackOff',
        '• hello-world-7d9c5-abcde 1/1 · Running · 0 restarts · 3m · node-1',
      ].join('\n'),
    );
    expect(message.text).toBe('hello-world (staging): 1/2 pods ready, 1 pod with a problem');
    // The pod name is code, the service name bold.
    expect(JSON.stringify(message.blocks)).toContain('*hello-world* · staging');
    expect(JSON.stringify(message.blocks)).toContain('`hello-world-7d9c5-abcde`');
  });

  it('reads "2/2 pods ready" with the URL when all is well', () => {
    const message = statusMessage({
      now: NOW,
      services: [
        status('hello-world', 'staging', {
          address: nodePort,
          pods: [pod('hello-world-a'), pod('hello-world-b', { node: 'node-2', restarts: 1 })],
        }),
      ],
    });
    expect(rendered(message)).toBe(
      [
        'hello-world · staging · 2/2 pods ready · http://198.51.100.10:31234',
        '• hello-world-a 1/1 · Running · 0 restarts · 3m · node-1',
        '• hello-world-b 1/1 · Running · 1 restart · 3m · node-2',
      ].join('\n'),
    );
    expect(message.text).toBe('hello-world (staging): 2/2 pods ready');
  });

  it('groups by service, with an overview, an error instead of pods, and "no pods"', () => {
    const message = statusMessage({
      now: NOW,
      services: [
        status('hello-world', 'staging', { address: nodePort, pods: [pod('hw-s-1')] }),
        status('api', 'production', {
          error:
            'cannot reach the Kubernetes API at https://k8s.example:6443 (context prod): connection refused',
        }),
        status('hello-world', 'production', {
          address: {
            kind: 'cluster-ip',
            host: '10.96.0.12',
            port: 5000,
            url: 'http://10.96.0.12:5000',
            internal: true,
          },
        }),
        status('api', 'staging', {
          address: {
            kind: 'ingress',
            host: 'api.staging.example',
            url: 'https://api.staging.example',
          },
          pods: [
            pod('api-1', { terminating: true, readyContainers: 0, createdAt: ago(5 * DAY) }),
            pod('api-2', {
              phase: 'Pending',
              readyContainers: 0,
              node: undefined,
              createdAt: ago(45_000),
            }),
          ],
        }),
      ],
    });
    expect(rendered(message)).toBe(
      [
        'Status · 2 services · 2 environments · 1/2 pods ready · :x: 1 could not be read',
        'hello-world · staging · 1/1 pod ready · http://198.51.100.10:31234',
        '• hw-s-1 1/1 · Running · 0 restarts · 3m · node-1',
        'hello-world · production · no pods (is it deployed?) · http://10.96.0.12:5000 (cluster-internal)',
        'api · production · :x: cannot reach the Kubernetes API at https://k8s.example:6443 (context prod): connection refused',
        'api · staging · 0/1 pod ready · 1 terminating · https://api.staging.example',
        '• api-2 0/1 · Pending · 0 restarts · 45s · not scheduled',
        '• api-1 0/1 · Terminating · 0 restarts · 5d · node-1',
      ].join('\n'),
    );
    expect(message.text).toBe(
      'Status: 2 services, 2 environments, 1/2 pods ready, 1 could not be read',
    );
  });

  it('escapes names so that nothing in them becomes a mention or a link', () => {
    const message = statusMessage({
      now: NOW,
      services: [
        status('<!channel>', 'a&b', {
          pods: [pod('<@U123>', { problem: '<https://evil.example|click>' })],
        }),
      ],
    });
    const raw = JSON.stringify(message.blocks);
    expect(raw).not.toContain('<!channel>');
    expect(raw).not.toContain('<@U123>');
    expect(raw).toContain('&lt;!channel&gt;');
    expect(rendered(message)).toContain('<!channel> · a&b · 1/1 pod ready');
    expect(rendered(message)).toContain(':warning: <https://evil.example|click>');
    expect(message.text).not.toContain('<!channel>');
  });

  it('says so when there is nothing to show', () => {
    const message = statusMessage({ now: NOW, services: [] });
    expect(rendered(message)).toBe('No services to show.');
    expect(message.text).toBe('No services to show.');
  });

  it('summarises hundreds of pods, listing the ones with problems first', () => {
    const message = statusMessage({
      now: NOW,
      services: [
        status('hello-world', 'production', { address: nodePort, pods: manyPods('hw', 500, 3) }),
      ],
    });
    const lines = rendered(message).split('\n');
    expect(lines[0]).toBe(
      'hello-world · production · 497/500 pods ready · :warning: 3 pods with problems · http://198.51.100.10:31234',
    );
    const podLines = lines.filter((line) => line.startsWith('• '));
    expect(podLines.length).toBeGreaterThan(3);
    expect(podLines.slice(0, 3).every((line) => line.endsWith(':warning: CrashLoopBackOff'))).toBe(
      true,
    );
    expect(lines.at(-1)).toBe(`…and ${500 - podLines.length} more pods`);
    expect(lines).toHaveLength(podLines.length + 2);
    expect(checkMessage({ text: message.text, blocks: asJson(message) })).toEqual({ ok: true });
  });

  it('counts the problems among the pods it could not list', () => {
    const message = statusMessage({
      now: NOW,
      services: [status('hello-world', 'production', { pods: manyPods('hw', 500, 100) })],
    });
    const lines = rendered(message).split('\n');
    const listed = lines.filter((line) => line.startsWith('• ')).length;
    expect(lines.at(-1)).toBe(
      `…and ${500 - listed} more pods (${100 - listed} pods with problems)`,
    );
  });

  it('summarises many services, never cutting a line, within every Slack limit', () => {
    const services = Array.from({ length: 60 }, (_, index) =>
      status(
        `service-${String(index).padStart(2, '0')}`,
        index % 2 === 0 ? 'staging' : 'production',
        {
          address: nodePort,
          pods: manyPods(`service-${index}`, 500, index === 59 ? 1 : 0),
        },
      ),
    );
    const message = statusMessage({ now: NOW, services });
    expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
    expect(checkMessage({ text: message.text, blocks: asJson(message) })).toEqual({ ok: true });
    const lines = rendered(message).split('\n');
    expect(lines.at(-1)).toBe('…and 12 more services (1 with problems)');
    expect(lines[0]).toBe(
      'Status · 60 services · 2 environments · 29999/30000 pods ready · :warning: 1 pod with a problem',
    );
    // Every line is whole: a service line, a pod line or a count of what was left out.
    for (const line of lines.slice(1, -1)) {
      expect(line).toMatch(
        /^(service-\d\d · (staging|production) · 500\/500 pods ready · http:\/\/198\.51\.100\.10:31234|• service-\d+-\d{4} 1\/1 · Running · 0 restarts · \d+[smhd] · node-\d|…and \d+ more pods)$/,
      );
    }
    expect(blockText(message).length).toBeLessThanOrEqual(SLACK_LIMITS.messageText);
  });

  it('keeps a long error within the section limit', () => {
    const message = statusMessage({
      now: NOW,
      services: Array.from({ length: 49 }, (_, index) =>
        status(`svc-${index}`, 'staging', { error: `helm said: ${'x'.repeat(10_000)}` }),
      ),
    });
    expect(message.blocks).toHaveLength(SLACK_LIMITS.blocksPerMessage);
    expect(checkMessage({ text: message.text, blocks: asJson(message) })).toEqual({ ok: true });
    expect(rendered(message).split('\n')[1]).toMatch(/^svc-0 · staging · :x: helm said: x+…$/);
  });
});

describe('formatAge', () => {
  it.each([
    [0, '0s'],
    [45_000, '45s'],
    [3 * MINUTE, '3m'],
    [59 * MINUTE + 59_000, '59m'],
    [2 * HOUR, '2h'],
    [47 * HOUR, '47h'],
    [5 * DAY, '5d'],
    [3 * 365 * DAY, '3y'],
    [-MINUTE, '0s'],
  ])('%d ms old is %s', (ms, expected) => {
    expect(formatAge(ago(ms), NOW)).toBe(expected);
  });
});

/** The client logs every refused call; a refusal fails the test on its own. */
const quietLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

describe('statusMessage posted to the Slack double with @slack/web-api', () => {
  let slack: SlackDouble;
  let client: WebClient;

  beforeAll(async () => {
    slack = await startSlackDouble({ botToken: BOT_TOKEN });
    slack.addChannel({ id: 'C1', name: 'deploys' });
    client = new WebClient(BOT_TOKEN, {
      slackApiUrl: slack.apiUrl,
      logger: quietLogger,
      retryConfig: { retries: 0 },
    });
  });

  afterAll(async () => {
    await slack.stop();
  });

  afterEach(() => {
    slack.assertNoUnhandled();
  });

  it('posts one service with 500 pods', async () => {
    const message = statusMessage({
      now: NOW,
      services: [
        status('hello-world', 'production', { address: nodePort, pods: manyPods('hw', 500, 2) }),
      ],
    });
    const answer = await client.chat.postMessage({ channel: 'C1', ...message });
    expect(answer.ok).toBe(true);
    const shownInSlack = slack.channel('C1').message(answer.ts ?? '').rendered;
    expect(shownInSlack).toContain('hello-world · production · 498/500 pods ready');
    expect(shownInSlack).toMatch(/…and \d+ more pods$/);
  });

  it('posts 60 services of 500 pods each', async () => {
    const message = statusMessage({
      now: NOW,
      services: Array.from({ length: 60 }, (_, index) =>
        status(`service-${index}`, 'staging', {
          address: nodePort,
          pods: manyPods(`s${index}`, 500),
        }),
      ),
    });
    const answer = await client.chat.postMessage({ channel: 'C1', ...message });
    expect(answer.ok).toBe(true);
    const shownInSlack = slack.channel('C1').message(answer.ts ?? '').rendered;
    expect(shownInSlack).toContain('…and 12 more services');
  });
});
