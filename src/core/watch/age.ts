/** Human-readable age of a snapshot: `42 s`, `5 min`, `3 h`, `2 days`. Pure. */
export function describeAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.round(min / 60);
  if (h < 48) return `${h} h`;
  return `${Math.round(h / 24)} days`;
}

/** Milliseconds since `syncedAt` (an ISO time), `Infinity` when it does not parse. */
export function ageOf(syncedAt: string, now: number): number {
  const time = Date.parse(syncedAt);
  return Number.isNaN(time) ? Number.POSITIVE_INFINITY : Math.max(0, now - time);
}
