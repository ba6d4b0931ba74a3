/** The kubelet's timing, real by default; tests shorten it. */
export interface KubeletSettings {
  /** A DOCKER_HOST value: the engine the pods' containers run in. */
  dockerHost: string;
  /** First back-off after a failed image pull and after the second crash; doubles each time. */
  backOffMs: number;
  /** Where the doubling stops (the kubelet's 5 minutes). */
  maxBackOffMs: number;
  /** A container that ran this long before it exited starts its back-off afresh. */
  backOffResetMs: number;
  /** Multiplies probes' initialDelaySeconds and periodSeconds (never timeoutSeconds); 1 is real time. */
  probeTimeScale: number;
  /**
   * The nodes this kubelet is the agent of (the seeded ones). A pod bound to any other node name
   * is another kubelet's (a virtual kubelet, a node gone): as in a real cluster, nothing here
   * runs, deletes or updates it; it stays as the API has it (its status written by whoever may).
   */
  nodes: readonly string[];
}

export const DEFAULT_KUBELET_TIMING: Readonly<Omit<KubeletSettings, 'dockerHost' | 'nodes'>> = {
  backOffMs: 10_000,
  maxBackOffMs: 300_000,
  backOffResetMs: 600_000,
  probeTimeScale: 1,
};
