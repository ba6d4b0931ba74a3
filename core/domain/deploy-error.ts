/** Every failure the product knows how to explain, in one place. */
export const ERROR_CODES = {
  CONFIG_INVALID: { retryable: false },
  UNKNOWN_SERVICE: { retryable: false },
  UNKNOWN_ENVIRONMENT: { retryable: false },
  INVALID_REF: { retryable: false },
  NOT_AUTHORISED: { retryable: false },
  QUEUE_UNAVAILABLE: { retryable: true },
  SOURCE_FAILED: { retryable: true },
  TEST_FAILED: { retryable: false },
  BUILD_FAILED: { retryable: false },
  REGISTRY_AUTH: { retryable: false },
  PUSH_FAILED: { retryable: true },
  HELM_FAILED: { retryable: false },
  ROLLOUT_FAILED: { retryable: false },
  CLUSTER_UNAVAILABLE: { retryable: true },
  TIMEOUT: { retryable: false },
  CANCELLED: { retryable: false },
} as const satisfies Record<string, { retryable: boolean }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface DeployErrorOptions {
  cause?: unknown;
  /** The release was rolled back to this revision before the error was raised. */
  rolledBackToRevision?: number;
  /** The release was a first install, and was removed again before the error was raised. */
  releaseRemoved?: boolean;
}

export class DeployError extends Error {
  readonly code: ErrorCode;
  readonly rolledBackToRevision: number | undefined;
  readonly releaseRemoved: boolean;

  constructor(code: ErrorCode, message: string, options: DeployErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DeployError';
    this.code = code;
    this.rolledBackToRevision = options.rolledBackToRevision;
    this.releaseRemoved = options.releaseRemoved ?? false;
  }

  get retryable(): boolean {
    return ERROR_CODES[this.code].retryable;
  }
}

export function isDeployError(error: unknown, code?: ErrorCode): error is DeployError {
  return error instanceof DeployError && (code === undefined || error.code === code);
}
