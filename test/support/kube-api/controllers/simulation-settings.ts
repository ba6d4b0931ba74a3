/** What the double still simulates rather than runs: the cloud's load balancers. */
export interface SimulationSettings {
  /** From a LoadBalancer Service being created to its ingress IP appearing. */
  loadBalancerDelayMs: number;
}

export const DEFAULT_SIMULATION: Readonly<SimulationSettings> = {
  loadBalancerDelayMs: 100,
};
