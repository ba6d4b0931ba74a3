/** The last lines of a stage's output, bounded in lines and bytes so a chatty build cannot exhaust memory. */
export class LogBuffer {
  private readonly lines: string[] = [];
  private bytes = 0;
  private dropped = 0;

  constructor(
    private readonly maxLines = 400,
    private readonly maxBytes = 256 * 1024,
    private readonly maxLineLength = 2000,
  ) {}

  push(line: string): void {
    const kept = line.length > this.maxLineLength ? `${line.slice(0, this.maxLineLength)}…` : line;
    this.lines.push(kept);
    this.bytes += kept.length + 1;
    while (this.lines.length > this.maxLines || this.bytes > this.maxBytes) {
      const removed = this.lines.shift();
      if (removed === undefined) break;
      this.bytes -= removed.length + 1;
      this.dropped += 1;
    }
  }

  /** The kept lines, with a first line saying how many earlier ones were dropped. */
  text(): string {
    const head = this.dropped > 0 ? [`… ${this.dropped} earlier lines not kept`] : [];
    return [...head, ...this.lines].join('\n');
  }

  tail(count: number): string {
    return this.lines.slice(-count).join('\n');
  }
}
