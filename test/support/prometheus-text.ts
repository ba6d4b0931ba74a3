/** The values of the samples of `name` that carry every label given (and maybe more). */
function matching(text: string, name: string, labels: Record<string, string>): number[] {
  const found: number[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const own = new Map<string, string>();
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      own.set(pair[1] ?? '', pair[2] ?? '');
    if (Object.entries(labels).every(([key, value]) => own.get(key) === value))
      found.push(Number(match[3]));
  }
  return found;
}

/**
 * Reads Prometheus's text exposition format: the value of one sample, by metric name and labels
 * (the sample must carry every label given, and may carry more; exactly one must match).
 */
export function sampleValue(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const found = matching(text, name, labels);
  if (found.length > 1)
    throw new Error(`${name} ${JSON.stringify(labels)}: ${found.length} samples`);
  return found[0];
}

/** The sum of every sample of `name` that carries the labels given (0 when none does). */
export function sampleSum(text: string, name: string, labels: Record<string, string> = {}): number {
  return matching(text, name, labels).reduce((a, b) => a + b, 0);
}

/** GET /metrics on 127.0.0.1:port; throws unless it answers 200 in the text format. */
export async function scrape(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('text/plain')) throw new Error(`/metrics answered ${type}`);
  return response.text();
}
