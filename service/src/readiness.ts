/** Whether the service wants new traffic; `/readyz` answers from it. */
export interface Readiness {
  readonly ready: boolean;
  /** From now on `/readyz` answers 503, so Kubernetes takes the pod out of the Service. */
  markShuttingDown(): void;
}

export function createReadiness(): Readiness {
  let ready = true;
  return {
    get ready() {
      return ready;
    },
    markShuttingDown() {
      ready = false;
    },
  };
}
