/** How a container whose image matches a rule fails, as the kubelet would report it. */
export type ImageFailure = 'ImagePullBackOff' | 'CrashLoopBackOff';

export interface ImageFailureRule {
  /** A RegExp, or a string that the image must contain. */
  image: RegExp | string;
  failure: ImageFailure;
}

export interface SimulationSettings {
  /** From a pod being scheduled to its containers running and ready. */
  podStartDelayMs: number;
  /** From a graceful pod deletion to the pod being gone. */
  podTerminationDelayMs: number;
  /** From a LoadBalancer Service being created to its ingress IP appearing. */
  loadBalancerDelayMs: number;
  /** The pace of ErrImagePull ↔ ImagePullBackOff and of crash-loop restarts. */
  backOffMs: number;
  imageFailures: ImageFailureRule[];
}

export const DEFAULT_SIMULATION: Readonly<Omit<SimulationSettings, 'imageFailures'>> = {
  podStartDelayMs: 200,
  podTerminationDelayMs: 100,
  loadBalancerDelayMs: 100,
  backOffMs: 300,
};

export function failureFor(settings: SimulationSettings, image: string): ImageFailure | undefined {
  const rule = settings.imageFailures.find((candidate) =>
    typeof candidate.image === 'string'
      ? image.includes(candidate.image)
      : candidate.image.test(image),
  );
  return rule?.failure;
}
