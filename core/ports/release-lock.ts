/** Who holds a release: shown to the deploy that waits behind it. */
export interface LockHolder {
  jobId: string;
  /** e.g. "@alice's hello-world@main" */
  description: string;
}

export interface Lease {
  release(): Promise<void>;
}

/** One deploy per release and environment at a time, across every worker. */
export interface ReleaseLock {
  /**
   * Waits until the lock is free (or already this job's, after a restart), then holds it until
   * released; a worker that dies lets it lapse. `onWaiting` is called once, with the holder.
   */
  acquire(
    key: string,
    holder: LockHolder,
    options: { signal: AbortSignal; onWaiting?: (holder: LockHolder) => void },
  ): Promise<Lease>;
}
