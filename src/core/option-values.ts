/**
 * Reading one option's value: each function checks what a user may write for a field (a number
 * in range, a duration such as `'10m'`, a size such as `'64MB'`, …) and fails with an
 * `OptionsError` naming the field. Used by `resolveOptions`.
 */
import { OptionsError } from './errors.ts';

const SLUG_LIKE = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

export function integerIn(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new OptionsError(field, `expected an integer from ${min} to ${max}, got ${show(value)}`);
  }
  return value;
}

export function boolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new OptionsError(field, `expected true or false, got ${show(value)}`);
  }
  return value;
}

export function slugList(field: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || !SLUG_LIKE.test(v))) {
    throw new OptionsError(
      field,
      `expected a list of slugs (letters, digits, "-", "_", "."), got ${show(value)}`,
    );
  }
  return [...new Set(value as string[])];
}

export function nonEmptyString(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new OptionsError(field, `expected a non-empty string, got ${show(value)}`);
  }
  return value;
}

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A duration in milliseconds: a number, or a string such as `'500ms'`, `'30s'`, `'10m'`. */
export function duration(field: string, value: unknown, min: number): number {
  let ms: number | undefined;
  if (typeof value === 'number') ms = value;
  else if (typeof value === 'string') {
    const match = DURATION.exec(value.trim());
    if (match) ms = Math.round(Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
  }
  if (ms === undefined || !Number.isFinite(ms) || ms < min) {
    throw new OptionsError(
      field,
      `expected a duration of at least ${min} ms (milliseconds, or a string such as "30s", "10m"), got ${show(value)}`,
    );
  }
  return Math.round(ms);
}

const SIZE = /^(\d+(?:\.\d+)?)\s*(B|kB|KB|KiB|MB|MiB|GB|GiB)?$/;
const UNIT_BYTES: { [unit: string]: number } = {
  B: 1,
  kB: 1e3,
  KB: 1e3,
  KiB: 1024,
  MB: 1e6,
  MiB: 1024 ** 2,
  GB: 1e9,
  GiB: 1024 ** 3,
};

/** A size in bytes: a number, or a string such as `'64MB'` (10⁶) or `'64MiB'` (2²⁰). */
export function byteSize(field: string, value: unknown, min: number, max: number): number {
  let bytes: number | undefined;
  if (typeof value === 'number') bytes = value;
  else if (typeof value === 'string') {
    const match = SIZE.exec(value.trim());
    if (match) bytes = Math.round(Number(match[1]) * UNIT_BYTES[match[2] ?? 'B']!);
  }
  if (bytes === undefined || !Number.isInteger(bytes) || bytes < min || bytes > max) {
    throw new OptionsError(
      field,
      `expected a size from ${min} to ${max} bytes (a number, or a string such as "64MB", "100MiB"), got ${show(value)}`,
    );
  }
  return bytes;
}

/** `pollInterval`: a duration, or off (`false`, `'off'`, `'false'`, `0`, as the CLI offers). */
export function pollInterval(value: unknown): number | false {
  if (value === false || value === 0) return false;
  if (typeof value === 'string' && ['off', 'false', '0'].includes(value.trim())) return false;
  return duration('pollInterval', value, 1000);
}

export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  return String(value);
}

export function oneOf<const T extends string>(
  field: string,
  value: unknown,
  allowed: readonly T[],
): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new OptionsError(
      field,
      `expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${show(value)}`,
    );
  }
  return value as T;
}

export function webhookSecret(value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || value.length < 8 || /[\s]/.test(value)) {
    throw new OptionsError(
      'webhookSecret',
      'expected a string of at least 8 characters without spaces',
      'It goes into the webhook URL you configure in ButterCMS (`?secret=…`).',
    );
  }
  return value;
}
