/**
 * Each finished stage's time in seconds, read from a deploy's final message as the channel shows
 * it: ":white_check_mark: Test gate · 19.7s · …" or "… · 1m 05s …".
 */
export function stageSeconds(rendered: string): Record<string, number> {
  const stages: Record<string, number> = {};
  for (const line of rendered.split('\n')) {
    const match =
      /^:white_check_mark: ([A-Za-z][A-Za-z ]*?) · (?:(\d+)m (\d+)s|(\d+(?:\.\d+)?)s)\b/.exec(line);
    if (!match) continue;
    const [, title, minutes, seconds, plain] = match;
    stages[title ?? ''] =
      plain !== undefined ? Number(plain) : Number(minutes) * 60 + Number(seconds);
  }
  return stages;
}
