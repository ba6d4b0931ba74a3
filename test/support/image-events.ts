import type Docker from 'dockerode';

/** Seconds since the epoch, as the Docker Engine's event filters take them. */
export function engineNow(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * The images the engine tagged (what a build does; a pull says `pull`) between `since` and
 * `until`, whose name starts with `repository`: proof that something was built, or not.
 */
export async function imagesTagged(
  docker: Docker,
  repository: string,
  window: { since: number; until: number },
): Promise<string[]> {
  const stream = await docker.getEvents({
    since: window.since,
    until: window.until,
    filters: { type: ['image'], event: ['tag'] },
  });
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks)
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { Actor: { Attributes: { name?: string } } }).Actor)
    .map((actor) => actor.Attributes.name ?? '')
    .filter((name) => name.startsWith(repository));
}
