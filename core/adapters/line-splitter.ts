import { StringDecoder } from 'node:string_decoder';

/**
 * Splits a byte stream into lines without ever holding more than one, bounded: a line longer than
 * `maxChars` is handed on cut (`cut: true`) and the rest of it, up to its newline, is dropped. So
 * a program that prints a gigabyte without a newline costs `maxChars`, not a gigabyte.
 */
export class LineSplitter {
  private pending = '';
  private skipping = false;
  private readonly decoder = new StringDecoder('utf8');

  constructor(
    private readonly maxChars: number,
    private readonly take: (line: string, cut: boolean) => void,
  ) {}

  write(chunk: Buffer | string): void {
    let text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let newline = text.indexOf('\n');
    while (newline >= 0) {
      if (!this.skipping) this.take(this.pending + text.slice(0, newline), false);
      this.pending = '';
      this.skipping = false;
      text = text.slice(newline + 1);
      newline = text.indexOf('\n');
    }
    if (this.skipping) return;
    this.pending += text;
    if (this.pending.length > this.maxChars) {
      this.take(this.pending.slice(0, this.maxChars), true);
      this.pending = '';
      this.skipping = true;
    }
  }

  /** The last line, when the stream did not end with a newline. */
  end(): void {
    const rest = this.pending + this.decoder.end();
    if (!this.skipping && rest !== '') this.take(rest, false);
    this.pending = '';
  }
}
