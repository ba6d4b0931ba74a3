import type { Clock } from '../../../core/ports/clock.js';

interface Timer {
  at: number;
  order: number;
  fire: () => void;
}

/** Lets every promise chain that is ready run: a few turns of the event loop. */
export async function settle(): Promise<void> {
  for (let turn = 0; turn < 20; turn += 1) {
    await new Promise<void>((resolve) => {
      setImmediate(resolve);
    });
  }
}

/**
 * A clock that moves only when the test says so. Timers and sleeps fire in order as time passes;
 * between two of them, whatever they set off runs to its next wait.
 */
export class FakeClock implements Clock {
  private current: number;
  private readonly timers: Timer[] = [];
  private order = 0;

  constructor(start = Date.parse('2026-03-01T12:00:00Z')) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.setTimer(resolve, ms);
    });
  }

  setTimer(callback: () => void, ms: number): () => void {
    const timer = { at: this.current + Math.max(0, ms), order: (this.order += 1), fire: callback };
    this.timers.push(timer);
    return () => {
      const index = this.timers.indexOf(timer);
      if (index >= 0) this.timers.splice(index, 1);
    };
  }

  /** How many timers and sleeps are waiting. */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves time on by `ms`, firing what comes due on the way. */
  async advance(ms: number): Promise<void> {
    const end = this.current + ms;
    for (;;) {
      await settle();
      const next = this.next();
      if (next === undefined || next.at > end) break;
      this.fire(next);
    }
    this.current = end;
    await settle();
  }

  /** Fires timers in order until none is left (or `limitMs` of fake time has passed). */
  async runAll(limitMs = 24 * 3600_000): Promise<void> {
    const end = this.current + limitMs;
    for (;;) {
      await settle();
      const next = this.next();
      if (next === undefined) return;
      if (next.at > end) throw new Error(`timers still pending after ${limitMs} ms of fake time`);
      this.fire(next);
    }
  }

  private next(): Timer | undefined {
    return [...this.timers].sort((a, b) => a.at - b.at || a.order - b.order)[0];
  }

  private fire(timer: Timer): void {
    this.timers.splice(this.timers.indexOf(timer), 1);
    this.current = Math.max(this.current, timer.at);
    timer.fire();
  }
}
