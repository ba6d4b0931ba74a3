/** A moment as every message shows it, the same for everyone: `2026-12-04 21:30 UTC`. */
export function formatWhen(at: string | Date): string {
  const date = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(date.getTime())) return String(at);
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
