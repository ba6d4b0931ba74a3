import { healthRoutes, type HttpRoute } from '../core/adapters/health-endpoints.js';
import type { RunningWorker } from './start-worker.js';

/** What the worker serves on WORKER_PORT: /healthz, /readyz and /metrics. */
export function workerRoutes(running: RunningWorker): HttpRoute[] {
  return [...healthRoutes(running.readiness), running.metrics.route()];
}
