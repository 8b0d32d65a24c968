/**
 * Numbers in words for people (summaries, warnings, errors): counts with their noun, byte
 * sizes, durations and ages. Pure.
 */

/** `1 page`, `2 pages`, `3 categories` (consonant + y → ies); `many` for other plurals. */
export function plural(n: number, one: string, many = pluralOf(one)): string {
  return `${n} ${n === 1 ? one : many}`;
}

function pluralOf(word: string): string {
  return /[^aeiou]y$/.test(word) ? `${word.slice(0, -1)}ies` : `${word}s`;
}

/**
 * A size in bytes. `decimal` (amounts measured, SI: `0 B`, `1.2 kB`, `3.4 MB`) or `binary`
 * (limits, which options state in KiB/MiB: `300 bytes`, `4 KiB`, `1.5 MiB`).
 */
export function formatBytes(bytes: number, units: 'decimal' | 'binary' = 'decimal'): string {
  if (units === 'binary') {
    const tenths = (n: number) => Math.round(n * 10) / 10;
    if (bytes >= 1024 ** 2) return `${tenths(bytes / 1024 ** 2)} MiB`;
    if (bytes >= 1024) return `${tenths(bytes / 1024)} KiB`;
    return `${bytes} bytes`;
  }
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** How long something took, compact: `850ms`, `2.1s`, `3m5s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m${Math.round((ms % 60_000) / 1000)}s`;
}

/** A time span in whole words: `45 seconds`, `2 hours`, `8 days` (quota resets, Retry-After). */
export function describeDuration(seconds: number): string {
  const units: [number, string][] = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  const [size, name] = units.find(([size]) => seconds >= size) ?? units[units.length - 1]!;
  return plural(Math.round(seconds / size), name);
}

/** Human-readable age of a snapshot: `42 s`, `5 min`, `3 h`, `2 days`. */
export function describeAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.round(min / 60);
  if (h < 48) return `${h} h`;
  return `${Math.round(h / 24)} days`;
}
