/**
 * Response validation at the client boundary: what came back is JSON, and JSON in ButterCMS's
 * envelope (`{data, meta?}`), before any caller looks inside. Pure.
 */

import type { Json, JsonObject } from '../model/content.ts';
import { isObject } from '../model/json.ts';

export type ParseResult =
  | { ok: true; value: Json }
  | {
      ok: false;
      problem: string;
      /** Cut off mid-document (or empty): a smaller answer may get through. */
      truncated: boolean;
      /** Not JSON at all (an HTML page, say): no ButterCMS answer, not damage on the way. */
      foreign: boolean;
    };

/** Parses a body; says why not (empty, HTML page, cut short, not JSON). */
export function parseBody(text: string, contentType: string | null): ParseResult {
  const trimmed = text.trim();
  if (trimmed === '') {
    return { ok: false, problem: 'an empty body', truncated: true, foreign: false };
  }
  try {
    return { ok: true, value: JSON.parse(trimmed) as Json };
  } catch (error) {
    const type = contentType ? ` (${contentType.split(';')[0]})` : '';
    if (trimmed.startsWith('<')) {
      const problem = `an HTML/XML page instead of JSON${type}`;
      return { ok: false, problem, truncated: false, foreign: true };
    }
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      // A cut-off document fails at its very end ("Unexpected end of JSON input",
      // "Unterminated string …", "Expected ',' … at position <length>").
      const message = (error as Error).message;
      const at = /at position (\d+)/.exec(message);
      const cut =
        /end of JSON input/i.test(message) || (at !== null && Number(at[1]) >= trimmed.length);
      return {
        ok: false,
        problem: cut
          ? `truncated JSON (${text.length} characters, cut off mid-document)${type}`
          : `invalid JSON (${text.length} characters)${type}`,
        truncated: cut,
        foreign: false,
      };
    }
    return {
      ok: false,
      problem: `a body that is not JSON${type}`,
      truncated: false,
      foreign: true,
    };
  }
}

/**
 * Deepest nesting of arrays and objects an answer may have. ButterCMS content is a few dozen
 * levels deep even at `levels=5`; every stage after the client walks it recursively, and a
 * few thousand levels overflow the stack ("Maximum call stack size exceeded").
 */
export const MAX_JSON_DEPTH = 256;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** Strings longer than this are skipped with `indexOf` (native); shorter ones (keys, mostly) inline. */
const SHORT_STRING = 64;

/**
 * Whether JSON text (valid: it parsed) nests arrays and objects deeper than `max`. Costs about
 * half of what `JSON.parse` takes over the same bytes.
 */
export function jsonDeeperThan(bytes: Uint8Array, max: number): boolean {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let depth = 0;
  for (let i = 0; i < buffer.length; i++) {
    const byte = buffer[i]!;
    if (byte === QUOTE) {
      i = stringEnd(buffer, i);
    } else if (byte === 0x7b || byte === 0x5b) {
      if (++depth > max) return true;
    } else if (byte === 0x7d || byte === 0x5d) {
      depth--;
    }
  }
  return false;
}

/** Index of the quote closing the string opened at `open` (an escaped quote does not close it). */
function stringEnd(buffer: Buffer, open: number): number {
  const inline = Math.min(buffer.length, open + SHORT_STRING);
  for (let at = open + 1; at < inline; at++) {
    const byte = buffer[at];
    if (byte === QUOTE) return at;
    if (byte === BACKSLASH) at++;
  }
  let at = open;
  for (;;) {
    at = buffer.indexOf(QUOTE, at + 1);
    if (at === -1) return buffer.length;
    let backslashes = 0;
    while (buffer[at - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
}

const PAGE_META_KEYS = ['count', 'next_page', 'previous_page', 'next_offset', 'previous_offset'];

/**
 * Checks the envelope; undefined when fine, else what is wrong. Accepted: an object with `data`
 * (array, object or string — feeds answer `{data: "<xml>"}`) and an optional object `meta` whose
 * pagination fields, where present, are integers (or null for next/previous); and the bare `{}`
 * that `GET /v2/content/` without keys answers.
 */
export function envelopeProblem(body: Json): string | undefined {
  if (!isObject(body)) {
    return `a JSON ${Array.isArray(body) ? 'array' : typeof body} instead of an object with \`data\``;
  }
  const keys = Object.keys(body);
  if (keys.length === 0) return undefined;
  if (!('data' in body)) {
    return `JSON without the \`data\` envelope (keys: ${keys.slice(0, 6).join(', ')})`;
  }
  const data = body.data;
  if (data === null || typeof data === 'number' || typeof data === 'boolean') {
    return `\`data\` is ${data === null ? 'null' : `a ${typeof data}`}`;
  }
  if ('meta' in body) {
    const meta = body.meta;
    if (!isObject(meta)) return '`meta` is not an object';
    for (const key of PAGE_META_KEYS) {
      if (!(key in meta)) continue;
      const v = meta[key];
      const nullable = key !== 'count';
      if (v === null && nullable) continue;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
        return `\`meta.${key}\` is ${JSON.stringify(v)}, expected a non-negative integer${nullable ? ' or null' : ''}`;
      }
    }
  }
  return undefined;
}

export interface PageMeta {
  count: number | undefined;
  nextPage: number | null | undefined;
  previousPage: number | null | undefined;
}

/** Pagination fields of a validated body; undefined when it has no `meta`. */
export function pageMeta(body: JsonObject): PageMeta | undefined {
  const meta = body.meta;
  if (!isObject(meta)) return undefined;
  const read = (key: string): number | null | undefined => {
    const v = meta[key];
    return typeof v === 'number' || v === null ? v : undefined;
  };
  const count = read('count');
  return {
    count: count === null ? undefined : count,
    nextPage: read('next_page'),
    previousPage: read('previous_page'),
  };
}

/** A short, single-line excerpt of an error body for messages. */
export function excerpt(text: string, max = 160): string {
  const line = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** The API's `detail` from an error body, or an excerpt of a non-JSON one. */
export function errorDetail(text: string): string | undefined {
  const parsed = parseBody(text, null);
  if (parsed.ok) {
    const v = parsed.value;
    if (isObject(v) && typeof v.detail === 'string') return v.detail;
    if (isObject(v) && typeof v.message === 'string') return v.message;
    if (Array.isArray(v)) return excerpt(JSON.stringify(v));
    if (typeof v === 'string') return excerpt(v);
  }
  const e = excerpt(text);
  return e === '' ? undefined : e;
}
