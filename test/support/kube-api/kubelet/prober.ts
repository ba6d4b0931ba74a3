import { setTimeout as sleep } from 'node:timers/promises';
import { numberAt, objectAt, type JsonObject } from '../json.js';
import { runProbe, type ProbeTarget } from './probe.js';

export type ProbeKind = 'Startup' | 'Readiness' | 'Liveness';

export interface ProberEvents {
  /** The startup probe passed (at once when there is none): readiness and liveness begin. */
  started(): void;
  ready(ready: boolean): void;
  /** Liveness or startup failed failureThreshold times: the container must be restarted. */
  failed(kind: ProbeKind): void;
  /** One failed probe, for the Unhealthy event. */
  unhealthy(kind: ProbeKind, message: string): void;
}

interface ProbeTiming {
  initialDelayMs: number;
  periodMs: number;
  successThreshold: number;
  failureThreshold: number;
}

function timing(probe: JsonObject, scale: number): ProbeTiming {
  return {
    initialDelayMs: (numberAt(probe, 'initialDelaySeconds') ?? 0) * 1000 * scale,
    periodMs: Math.max(50, (numberAt(probe, 'periodSeconds') ?? 10) * 1000 * scale),
    successThreshold: numberAt(probe, 'successThreshold') ?? 1,
    failureThreshold: numberAt(probe, 'failureThreshold') ?? 3,
  };
}

/**
 * The kubelet's probe workers for one running container: a probe every periodSeconds, counted
 * only once initialDelaySeconds have passed since the container started, with the thresholds.
 */
export class Prober {
  private readonly controller = new AbortController();

  constructor(
    private readonly container: JsonObject,
    private readonly target: ProbeTarget,
    private readonly scale: number,
    private readonly events: ProberEvents,
    private readonly startedAt: number = Date.now(),
  ) {}

  start(): void {
    const startup = objectAt(this.container, 'startupProbe');
    if (startup === undefined) {
      this.afterStartup();
      return;
    }
    void this.loop('Startup', startup, (passed) => {
      if (passed) {
        this.afterStartup();
        return false;
      }
      this.events.failed('Startup');
      return false;
    });
  }

  stop(): void {
    this.controller.abort();
  }

  private afterStartup(): void {
    if (this.controller.signal.aborted) return;
    this.events.started();
    const readiness = objectAt(this.container, 'readinessProbe');
    if (readiness === undefined) this.events.ready(true);
    else
      void this.loop('Readiness', readiness, (passed) => {
        this.events.ready(passed);
        return true;
      });
    const liveness = objectAt(this.container, 'livenessProbe');
    if (liveness !== undefined)
      void this.loop('Liveness', liveness, (passed) => {
        if (!passed) this.events.failed('Liveness');
        return passed;
      });
  }

  /** Probes until `settle` (called when a threshold is crossed) returns false or the prober stops. */
  private async loop(
    kind: ProbeKind,
    probe: JsonObject,
    settle: (passed: boolean) => boolean,
  ): Promise<void> {
    const { signal } = this.controller;
    const { initialDelayMs, periodMs, successThreshold, failureThreshold } = timing(
      probe,
      this.scale,
    );
    let successes = 0;
    let failures = 0;
    let last: boolean | undefined;
    try {
      for (;;) {
        if (Date.now() - this.startedAt >= initialDelayMs) {
          const result = await runProbe(probe, this.target);
          if (signal.aborted) return;
          successes = result.ok ? successes + 1 : 0;
          failures = result.ok ? 0 : failures + 1;
          if (!result.ok) this.events.unhealthy(kind, result.message);
          const crossed = result.ok ? successes >= successThreshold : failures >= failureThreshold;
          if (crossed && last !== result.ok) {
            last = result.ok;
            if (!settle(result.ok)) return;
          }
        }
        await sleep(periodMs, undefined, { signal });
      }
    } catch {
      // stopped
    }
  }
}
