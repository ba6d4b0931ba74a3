/** The kubelet's per-key back-off: doubling from an initial delay up to a maximum. */
export class BackOff {
  private current = 0;

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
  ) {}

  /** The next delay: the initial one first, then twice the last, capped. */
  next(): number {
    this.current = this.current === 0 ? this.initialMs : Math.min(this.current * 2, this.maxMs);
    return this.current;
  }

  reset(): void {
    this.current = 0;
  }
}

/** "10s", "1m20s": how the kubelet prints a back-off in its messages. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 100) / 10;
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - minutes * 60);
  return rest === 0 ? `${minutes}m0s` : `${minutes}m${rest}s`;
}
