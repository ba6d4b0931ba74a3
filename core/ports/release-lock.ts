/** Who holds a release: shown to the deploy that waits behind it. */
export interface LockHolder {
  jobId: string;
  /** What is deployed; absent in a lock an older worker took (it said only its job id). */
  deploy?: { service: string; ref: string; environment: string };
  /** The chat user id of whoever asked for it. */
  requestedBy?: string;
}

export interface Lease {
  release(): Promise<void>;
}

/** One deploy per release and environment at a time, across every worker. */
export interface ReleaseLock {
  /**
   * Takes the lock when it is free and holds it until released; a worker that dies lets it lapse.
   * When another lease holds it (another deploy, or an earlier attempt of the same job whose
   * worker lost the job but still runs it), says who, and waits for nothing: the caller decides
   * how to wait without tying up a worker.
   */
  tryAcquire(key: string, holder: LockHolder): Promise<Lease | { heldBy: LockHolder }>;
}
