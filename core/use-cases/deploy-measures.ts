import type { DeployRequest } from '../domain/deploy-request.js';
import type { StageName } from '../domain/stages.js';
import type { PipelineEvent } from '../pipeline/stage.js';
import type { Clock } from '../ports/clock.js';
import { noMetrics, type DeployMetrics, type DeployResult } from '../ports/metrics.js';

/** One deploy's measures, told to the metrics port as the deploy goes. */
export interface DeployMeasures {
  /** The deploy took its release and starts its stages. */
  started(resumed: boolean): void;
  /** A pipeline event: a stage that ends is timed from its start. */
  onEvent(event: PipelineEvent): void;
  ended(result: DeployResult): void;
  /** The release was busy: the deploy steps aside. */
  busy(): void;
  /** The release lock is given back. */
  released(): void;
}

/** Times a deploy and its stages on `clock` (stages on the runner's own event times). */
export function measureDeploy(
  request: DeployRequest,
  metrics: DeployMetrics = noMetrics,
  clock: Pick<Clock, 'now'> = Date,
): DeployMeasures {
  const labels = { service: request.service, environment: request.environment };
  const stageStarts = new Map<StageName, number>();
  let startedAt = clock.now();
  const seconds = (from: number, to: number) => Math.max(0, (to - from) / 1000);
  return {
    started(resumed) {
      startedAt = clock.now();
      metrics.locksHeldChanged(1);
      // A resumed deploy was counted when it first started.
      if (!resumed) {
        const waited = seconds(Date.parse(request.requestedAt), startedAt);
        metrics.deployStarted({ ...labels, waitedSeconds: waited });
      }
    },
    onEvent(event) {
      const at = event.at.getTime();
      if (event.type === 'stage-started') {
        stageStarts.set(event.stage, at);
        return;
      }
      // Neither ran to an end of its own: nothing to time.
      if (event.type === 'stage-skipped' || event.type === 'stage-stopped') return;
      const result = event.type === 'stage-finished' ? 'succeeded' : 'failed';
      const from = stageStarts.get(event.stage) ?? at;
      metrics.stageEnded({ stage: event.stage, result, seconds: seconds(from, at) });
    },
    ended(result) {
      metrics.deployEnded({ ...labels, result, seconds: seconds(startedAt, clock.now()) });
    },
    busy() {
      metrics.releaseBusy(labels);
    },
    released() {
      metrics.locksHeldChanged(-1);
    },
  };
}
