import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ChatCallMetrics, DeployMetrics, QueueDepth } from '../ports/metrics.js';
import type { HttpRoute } from './health-endpoints.js';

export interface PrometheusMetricsOptions {
  /** The deploy queue whose depth each scrape reads (and its name, the `queue` label). */
  queue?: { name: string; depth: () => Promise<QueueDepth> };
  /** Node's own process metrics (CPU, memory, event loop, GC): on in the processes. */
  processMetrics?: boolean;
}

const DEPLOY_BUCKETS = [10, 30, 60, 120, 300, 600, 1200, 1800, 3600];
const STAGE_BUCKETS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200];
const WAIT_BUCKETS = [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

/** The queue-depth gauges, filled at scrape time; a Redis that does not answer leaves them empty. */
function queueGauges(registry: Registry, queue: PrometheusMetricsOptions['queue']): void {
  if (queue === undefined) return;
  const label = { queue: queue.name.replace(/[{}]/g, '') };
  let reading: Promise<QueueDepth | undefined> | undefined;
  // The three gauges of one scrape share one read of Redis.
  const read = (): Promise<QueueDepth | undefined> => {
    reading ??= queue
      .depth()
      .catch(() => undefined)
      .finally(() => {
        setImmediate(() => {
          reading = undefined;
        });
      });
    return reading;
  };
  const states = {
    waiting: 'Deploys waiting for a worker (BullMQ wait list: what KEDA and the HPA scale on).',
    delayed: 'Deploys held: for their chat announcement, or waiting for a busy release.',
    active: 'Deploys a worker is running.',
  } as const;
  for (const [state, help] of Object.entries(states) as [keyof QueueDepth, string][]) {
    new Gauge({
      name: `harbormaster_queue_${state}`,
      help,
      labelNames: ['queue'],
      registers: [registry],
      async collect() {
        this.reset();
        const depth = await read();
        if (depth !== undefined) this.set(label, depth[state]);
      },
    });
  }
}

function slackCounters(registry: Registry) {
  const registers = [registry];
  return {
    calls: new Counter({
      name: 'harbormaster_slack_api_calls_total',
      help: 'Slack Web API calls, by method and outcome (after retries).',
      labelNames: ['method', 'outcome'],
      registers,
    }),
    errors: new Counter({
      name: 'harbormaster_slack_api_errors_total',
      help: 'Slack Web API calls that failed (after retries), by method.',
      labelNames: ['method'],
      registers,
    }),
    rateLimited: new Counter({
      name: 'harbormaster_slack_api_rate_limited_total',
      help: 'HTTP 429 answers from the Slack Web API, by method.',
      labelNames: ['method'],
      registers,
    }),
  };
}

/**
 * The metrics port in Prometheus's text format (prom-client), one registry per process (no
 * global): deploys, stage durations, time waiting, queue depth, Slack API calls, locks held.
 */
export class PrometheusMetrics implements DeployMetrics, ChatCallMetrics {
  readonly registry = new Registry();
  private readonly deploys: Counter<'service' | 'environment' | 'result'>;
  private readonly deployDuration: Histogram<'service' | 'environment' | 'result'>;
  private readonly stageDuration: Histogram<'stage' | 'result'>;
  private readonly waited: Histogram<'service' | 'environment'>;
  private readonly locksHeld: Gauge;
  private readonly busy: Counter<'service' | 'environment'>;
  private readonly slack: ReturnType<typeof slackCounters>;

  constructor(options: PrometheusMetricsOptions = {}) {
    const registers = [this.registry];
    const deployLabels = ['service', 'environment', 'result'] as const;
    this.deploys = new Counter({
      name: 'harbormaster_deploys_total',
      help: 'Deploys that ran to their end, by service, environment and result.',
      labelNames: deployLabels,
      registers,
    });
    this.deployDuration = new Histogram({
      name: 'harbormaster_deploy_duration_seconds',
      help: 'How long deploys took, from taking their release to their end.',
      labelNames: deployLabels,
      buckets: DEPLOY_BUCKETS,
      registers,
    });
    this.stageDuration = new Histogram({
      name: 'harbormaster_stage_duration_seconds',
      help: 'How long each stage of a deploy took, by stage and result.',
      labelNames: ['stage', 'result'],
      buckets: STAGE_BUCKETS,
      registers,
    });
    this.waited = new Histogram({
      name: 'harbormaster_deploy_wait_seconds',
      help: 'Time from a deploy being requested to its stages starting (queue and busy release).',
      labelNames: ['service', 'environment'],
      buckets: WAIT_BUCKETS,
      registers,
    });
    this.locksHeld = new Gauge({
      name: 'harbormaster_release_locks_held',
      help: 'Release locks this process holds: deploys running now.',
      registers,
    });
    this.busy = new Counter({
      name: 'harbormaster_release_busy_total',
      help: 'Times a deploy found its release held by another and stepped aside.',
      labelNames: ['service', 'environment'],
      registers,
    });
    this.slack = slackCounters(this.registry);
    queueGauges(this.registry, options.queue);
    if (options.processMetrics === true) collectDefaultMetrics({ register: this.registry });
  }

  deployStarted(deploy: { service: string; environment: string; waitedSeconds: number }): void {
    const { service, environment } = deploy;
    this.waited.observe({ service, environment }, Math.max(0, deploy.waitedSeconds));
  }

  deployEnded(deploy: Parameters<DeployMetrics['deployEnded']>[0]): void {
    const labels = { service: deploy.service, environment: deploy.environment };
    this.deploys.inc({ ...labels, result: deploy.result });
    this.deployDuration.observe({ ...labels, result: deploy.result }, deploy.seconds);
  }

  stageEnded(stage: Parameters<DeployMetrics['stageEnded']>[0]): void {
    this.stageDuration.observe({ stage: stage.stage, result: stage.result }, stage.seconds);
  }

  locksHeldChanged(delta: 1 | -1): void {
    this.locksHeld.inc(delta);
  }

  releaseBusy(deploy: { service: string; environment: string }): void {
    this.busy.inc(deploy);
  }

  called(call: Parameters<ChatCallMetrics['called']>[0]): void {
    this.slack.calls.inc(call);
    if (call.outcome === 'error') this.slack.errors.inc({ method: call.method });
  }

  rateLimited(call: { method: string }): void {
    this.slack.rateLimited.inc(call);
  }

  /** The exposition, as GET /metrics serves it. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  /** GET /metrics, for Bolt's customRoutes or serveRoutes. */
  route(): HttpRoute {
    return {
      path: '/metrics',
      method: 'GET',
      handler: (_request, response) => {
        this.text().then(
          (body) => {
            response.writeHead(200, { 'content-type': this.registry.contentType });
            response.end(body);
          },
          () => {
            response.writeHead(500, { 'content-type': 'text/plain' });
            response.end('metrics could not be collected\n');
          },
        );
      },
    };
  }
}
