import { setTimeout as sleep } from 'node:timers/promises';

/** Polls an async condition until it holds; fails with `what` when it never does. */
export async function eventually(
  what: string,
  condition: () => Promise<boolean>,
  limitMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await sleep(50);
  }
}
