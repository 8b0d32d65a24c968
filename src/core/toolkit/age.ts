/** Milliseconds since `syncedAt` (an ISO time), `Infinity` when it does not parse. */
export function ageOf(syncedAt: string, now: number): number {
  const time = Date.parse(syncedAt);
  return Number.isNaN(time) ? Number.POSITIVE_INFINITY : Math.max(0, now - time);
}
