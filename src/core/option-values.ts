/**
 * Reading one option's value: each function checks what a user may write for a field (a number
 * in range, a duration such as `'10m'`, a size such as `'64MB'`, …) and fails with an
 * `OptionsError` naming the field. Used by `resolveOptions`.
 */
import { isAbsolute, resolve } from 'node:path';
import { OptionsError } from './errors.ts';
import { publicUrl } from './redact.ts';

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

/** The token, trimmed; `undefined` when unset or blank (see `requireToken`). */
export function token(value: unknown): string | undefined {
  if (value === undefined || (typeof value === 'string' && value.trim() === '')) return undefined;
  return nonEmptyString('token', value).trim();
}

/** An http(s) base URL without credentials, query or fragment, and without its trailing slash. */
export function apiUrl(value: unknown): string {
  const url = nonEmptyString('apiUrl', value);
  // Shown without user, password or query values: a token or password can hide in them.
  const shown = show(publicUrl(url));
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new OptionsError('apiUrl', `not a URL: ${shown}`);
  }
  if (!/^https?:$/.test(parsed.protocol)) {
    throw new OptionsError('apiUrl', `expected an http(s) URL, got ${shown}`);
  }
  if (parsed.username || parsed.password) {
    throw new OptionsError('apiUrl', 'must not contain credentials', 'Pass the token as `token`.');
  }
  if (parsed.search || parsed.hash) {
    throw new OptionsError(
      'apiUrl',
      `must end at the path (${shown}): a query or fragment is not sent`,
      'Pass the token as `token`; the base URL ends in /v2, e.g. https://api.buttercms.com/v2.',
    );
  }
  return url.replace(/\/+$/, '');
}

/** Host names, lower case, each once. */
export function hostList(value: unknown): string[] {
  if (!Array.isArray(value) || value.some((h) => typeof h !== 'string' || h === '')) {
    throw new OptionsError('mediaHosts', `expected a list of host names, got ${show(value)}`);
  }
  return [...new Set((value as string[]).map((h) => h.toLowerCase()))];
}

/** The declarations file (absolute, relative paths from `root`), or `false`. */
export function typesFile(value: unknown, root: string): string | false {
  if (value === false) return false;
  if (typeof value !== 'string' || value === '') {
    throw new OptionsError('types', `expected a file path or false, got ${show(value)}`);
  }
  return isAbsolute(value) ? value : resolve(root, value);
}

/** Whether the environment is a CI run (`CI` set, and not `0` or `false`). */
export function isCi(env: Record<string, string | undefined>): boolean {
  const ci = env.CI?.trim().toLowerCase();
  return ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false';
}
