import type { InfrastructureDetails } from '../core/domain/infrastructure-redaction.js';
import type { Logger } from '../core/logger.js';

/** Reads the kubeconfig's details (kubeconfig-details.ts loads @kubernetes/client-node to). */
export type InfrastructureReader = (
  kubeconfig: string | undefined,
) => Promise<InfrastructureDetails>;

const readWithClient: InfrastructureReader = async (kubeconfig) => {
  const { kubeconfigDetails } = await import('../core/adapters/kubernetes/kubeconfig-details.js');
  return kubeconfigDetails(kubeconfig);
};

/**
 * The cluster details chat messages must not show (the kubeconfig's API servers and path), read
 * before the first deploy rather than at start: reading them loads @kubernetes/client-node, some
 * 70 MB that an idle worker does not need (its first rollout loads the library anyway). Until
 * then, and if the read fails, the details are the kubeconfig's path alone, as for a kubeconfig
 * that cannot be read.
 */
export class LazyInfrastructure {
  private details: InfrastructureDetails;
  private reading: Promise<void> | undefined;

  constructor(
    private readonly kubeconfig: string | undefined,
    private readonly logger: Logger,
    private readonly read: InfrastructureReader = readWithClient,
  ) {
    this.details = { servers: [], paths: kubeconfig === undefined ? [] : [kubeconfig] };
  }

  current(): InfrastructureDetails {
    return this.details;
  }

  /** Reads the details once; later calls wait for that read. Never rejects. */
  ready(): Promise<void> {
    this.reading ??= this.read(this.kubeconfig).then(
      (details) => {
        this.details = details;
      },
      (error: unknown) => {
        this.logger.warn({ err: error }, 'could not read the kubeconfig for redaction');
      },
    );
    return this.reading;
  }
}
