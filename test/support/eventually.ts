import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `probe` until it answers a value (anything but undefined) and returns it; fails with
 * `what` when it never does. The limit only bounds a hung test: it asserts nothing about time.
 */
export async function eventuallyValue<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  limitMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await sleep(50);
  }
}

/** Polls an async condition until it holds; fails with `what` when it never does. */
export async function eventually(
  what: string,
  condition: () => Promise<boolean>,
  limitMs = 10_000,
): Promise<void> {
  await eventuallyValue(what, async () => ((await condition()) ? true : undefined), limitMs);
}
