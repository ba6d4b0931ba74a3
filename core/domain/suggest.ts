function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Names close to what was typed ("did you mean"): small typos, or a prefix of the name, closest first. */
export function suggestNames(typed: string, known: readonly string[], most = 3): string[] {
  const allowed = Math.max(1, Math.floor(typed.length / 3));
  return known
    .map((name) => ({ name, distance: editDistance(typed, name) }))
    .filter(
      ({ name, distance }) => distance <= allowed || (typed.length >= 3 && name.startsWith(typed)),
    )
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, most)
    .map(({ name }) => name);
}
