import type { JsonObject } from '../../model/content.ts';
import { isMediaObject } from '../../model/media-paths.ts';
import { parseRef } from '../../model/refs.ts';
import type { StringKind } from '../model.ts';

/** Zoned or naive ISO 8601 timestamps (with or without fractions), and plain dates. */
const DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
/** An HTML tag anywhere (`<p>`, `</div>`, `<br />`, `<img src=…>`). */
const HTML_TAG = /<\/?[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?>/i;
/** Distinct values longer than this are not dropdown choices. */
const MAX_ENUM_VALUE = 40;

/**
 * The page type (`*` for single pages) or collection a reference URI points to, or
 * `undefined` for any other string. Same reading as the crawler and the reader (`parseRef`).
 */
export function refTarget(value: string): { kind: 'page' | 'item'; target: string } | undefined {
  if (!value.includes('/v2/')) return undefined;
  const ref = parseRef(value);
  if (!ref) return undefined;
  return ref.kind === 'page'
    ? { kind: 'page', target: ref.pageType }
    : { kind: 'item', target: ref.key };
}

/** Classifies a non-empty string that is not a reference. */
export function stringKind(value: string, mediaHosts: ReadonlySet<string>): StringKind {
  if (DATE.test(value)) return 'date';
  if (isMediaUrl(value, mediaHosts)) return 'media';
  if (HTML_TAG.test(value)) return 'html';
  return 'text';
}

export function isMediaUrl(value: string, mediaHosts: ReadonlySet<string>): boolean {
  // Host taken by hand: `new URL` for every string of every sample is the hot spot.
  const start = value.startsWith('https://') ? 8 : value.startsWith('http://') ? 7 : -1;
  if (start === -1) return false;
  let end = start;
  while (end < value.length && !'/?#:@'.includes(value[end]!)) end++;
  if (value[end] === '@') return false;
  return mediaHosts.has(value.slice(start, end).toLowerCase());
}

/** A text value that could be one choice of a dropdown: short, one line, not a sentence. */
export function enumCandidate(value: string): boolean {
  return (
    value.length <= MAX_ENUM_VALUE &&
    !/[\n\r\t<>]|:\/\//.test(value) &&
    !value.startsWith('/') &&
    !value.startsWith('#') &&
    value.trim() === value &&
    value.split(' ').length <= MAX_ENUM_WORDS &&
    !/[.!?]$/.test(value)
  );
}

/** Most distinct values a field can have and still read as a dropdown. */
export const ENUM_CAP = 10;
/** Words in a dropdown choice at most (`Out of stock`); more is prose. */
const MAX_ENUM_WORDS = 4;

/**
 * Whether the distinct `values` of a text field, seen `count` times in all, read as a closed
 * vocabulary (a dropdown's choices) rather than free text: at least two choices, few of them,
 * each seen about three times or more on average. Free text — a headline, a call to action —
 * rarely repeats, so its values never become type candidates, and editing it changes no type.
 */
export function closedVocabulary(values: readonly string[], count: number): boolean {
  return values.length > 1 && values.length <= ENUM_CAP && count >= Math.max(4, 3 * values.length);
}

/** Keys whose values name or identify something: repeated values there are not dropdowns. */
const IDENTITY_KEYS =
  /^(?:slug|name|[a-z]+_name|email|title|headline|label|url|[a-z_]+_url|[a-z_]+_handle|username)$/;

/** Whether the values of `key` may be a dropdown's choices (in the blog's objects, `blog`). */
export function vocabularyKey(key: string, blog: boolean): boolean {
  // The blog's objects have a fixed, documented shape: only `status` is a choice.
  return blog ? key === 'status' : !IDENTITY_KEYS.test(key);
}

/**
 * A media value as stored with `alt_media_text=1` (`{url, alt}` or `{url}`): its URL, which is
 * what the reader returns for it by default; `undefined` for any other object. Same test as the
 * reader's.
 */
export function mediaObjectUrl(value: JsonObject): string | undefined {
  return isMediaObject(value) ? (value.url as string) : undefined;
}
