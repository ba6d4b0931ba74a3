/** Sends `total` requests with at most `concurrency` in flight; each request's latency in ms. */
export async function drive(
  total: number,
  concurrency: number,
  send: (index: number) => Promise<void>,
): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const lane = async (): Promise<void> => {
    while (next < total) {
      const index = next;
      next += 1;
      const t0 = performance.now();
      await send(index);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, lane));
  return { latencies, seconds: (performance.now() - started) / 1000 };
}
