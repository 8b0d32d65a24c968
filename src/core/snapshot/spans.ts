/**
 * Where the entities of a listing page sit in the response's bytes, and which of those bytes
 * already are the entity's text in the snapshot. An entity is stored as `JSON.stringify` of its
 * parsed value (compact, keys in parsed order), which is how the live API writes its JSON: the
 * recorded answers in fixtures/recordings are all in that form. The streaming store then
 * stores such an entity's bytes as they came, without parsing and rendering it again.
 *
 * "Canonical" is judged conservatively: an entity whose bytes could differ from its text in any
 * way is marked and rendered the long way — whitespace, an escape `JSON.stringify` would not
 * write (`\/`, `\u00e9`, upper-case hex), a number it would write differently (`1.0`, `1e3`,
 * `-0`), a repeated key (the parse keeps the last), an array-index key (objects list those
 * first). The bytes are a document the crawl already parsed as valid UTF-8 JSON; anything
 * unexpected gives `undefined` (the caller parses the page itself), never a wrong span.
 */

/** The object elements of the list at a key path, in list order. */
export interface EntitySpans {
  /** Byte offset where each element starts. */
  starts: number[];
  /** Byte offset after each element. */
  ends: number[];
  /** Whether each element's bytes are exactly `JSON.stringify(JSON.parse(bytes))`. */
  canonical: boolean[];
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OBJECT = 1;
const ARRAY = 2;
/** Keys of an object compared one by one before they go into a set. */
const FEW_KEYS = 32;

class Malformed extends Error {}

/**
 * The spans of the object elements of the list at `path` (`['data']`, `['data', key]`) in
 * `bytes`, where a key repeated along the path means its last occurrence, as in `JSON.parse`;
 * `undefined` when the path cannot be followed byte for byte (a key on it written with escapes,
 * a leading byte-order mark) or the bytes are not the JSON they should be.
 */
export function entitySpans(bytes: Buffer, path: readonly string[]): EntitySpans | undefined {
  // One byte per character: offsets in the text are offsets in the bytes, and the engine's
  // string search and character loads are faster than a buffer's.
  const text = bytes.toString('latin1');
  backslashFrom = Number.POSITIVE_INFINITY;
  try {
    const keys = path.map((key) => Buffer.from(key).toString('latin1'));
    const followed = follow(text, space(text, 0), keys);
    if (space(text, followed.at) !== text.length) return undefined;
    return followed.found ?? { starts: [], ends: [], canonical: [] };
  } catch (error) {
    if (error instanceof Malformed) return undefined;
    throw error;
  }
}

// The scanner's state. One document is scanned at a time, synchronously.
/** Whether the value being scanned is canonical so far. */
let clean = true;
/** The first backslash at or after `backslashFrom` (−1: none). */
let backslashAt = -1;
let backslashFrom = Number.POSITIVE_INFINITY;
/** Kind of each open container, by depth. */
let kinds = new Uint8Array(64);
/** Key hashes of the open objects, innermost last; each object's start at its depth. */
let keyHashes = new Int32Array(1024);
let keyCount = 0;
let keyStarts = new Int32Array(64);
/** An open object's keys once there are many, by depth. */
const keySets: (Set<number> | undefined)[] = [];

// Past the end `charCodeAt` gives NaN, which no comparison below accepts.
function space(text: string, at: number): number {
  let char = text.charCodeAt(at);
  if (char !== 0x20 && char !== 0x0a && char !== 0x0d && char !== 0x09) return at;
  clean = false;
  do char = text.charCodeAt(++at);
  while (char === 0x20 || char === 0x0a || char === 0x0d || char === 0x09);
  return at;
}

/**
 * At an object: follows `path` through it (the last occurrence of each key) to the spans of
 * the list at its end; `found` is undefined when the path holds no list there.
 */
function follow(
  text: string,
  at: number,
  path: readonly string[],
): { at: number; found: EntitySpans | undefined } {
  const [key, ...rest] = path;
  if (key === undefined || text.charCodeAt(at) !== OPEN_OBJECT) throw new Malformed();
  let found: EntitySpans | undefined;
  at = space(text, at + 1);
  if (text.charCodeAt(at) === CLOSE_OBJECT) return { at: at + 1, found };
  for (;;) {
    const start = space(text, at);
    at = string(text, start);
    const name = text.slice(start + 1, at - 1);
    if (name.includes('\\')) throw new Malformed();
    at = space(text, at);
    if (text.charCodeAt(at) !== COLON) throw new Malformed();
    at = space(text, at + 1);
    const head = text.charCodeAt(at);
    if (name !== key) at = scanValue(text, at);
    else if (rest.length === 0 && head === OPEN_ARRAY) ({ at, found } = list(text, at));
    else if (rest.length > 0 && head === OPEN_OBJECT) ({ at, found } = follow(text, at, rest));
    else {
      found = undefined;
      at = scanValue(text, at);
    }
    at = space(text, at);
    const next = text.charCodeAt(at++);
    if (next === CLOSE_OBJECT) return { at, found };
    if (next !== COMMA) throw new Malformed();
  }
}

/** At an array: the spans of its object elements. */
function list(text: string, at: number): { at: number; found: EntitySpans } {
  const found: EntitySpans = { starts: [], ends: [], canonical: [] };
  at = space(text, at + 1);
  if (text.charCodeAt(at) === CLOSE_ARRAY) return { at: at + 1, found };
  for (;;) {
    const start = space(text, at);
    clean = true;
    at = scanValue(text, start);
    if (text.charCodeAt(start) === OPEN_OBJECT) {
      found.starts.push(start);
      found.ends.push(at);
      found.canonical.push(clean);
    }
    at = space(text, at);
    const next = text.charCodeAt(at++);
    if (next === CLOSE_ARRAY) return { at, found };
    if (next !== COMMA) throw new Malformed();
  }
}

/** One whole value from `at` (no recursion: nesting is a stack of kinds); where it ends. */
function scanValue(text: string, at: number): number {
  let depth = 0;
  for (;;) {
    // A value starts here.
    at = space(text, at);
    let char = text.charCodeAt(at);
    if (char === OPEN_OBJECT || char === OPEN_ARRAY) {
      const kind = char === OPEN_OBJECT ? OBJECT : ARRAY;
      at = space(text, at + 1);
      if (text.charCodeAt(at) === (kind === OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY)) at++;
      else {
        if (depth === kinds.length) {
          kinds = grown(kinds, depth * 2);
          keyStarts = grown(keyStarts, depth * 2);
        }
        kinds[depth] = kind;
        if (kind === OBJECT) {
          keyStarts[depth] = keyCount;
          keySets[depth] = undefined;
          at = key(text, at, depth);
        }
        depth++;
        continue;
      }
    } else if (char === QUOTE) at = string(text, at);
    else if (char === 0x74 || char === 0x6e)
      at += 4; // true, null
    else if (char === 0x66)
      at += 5; // false
    else at = number(text, at);
    // After a value: the containers it closes, then the next member.
    for (;;) {
      if (depth === 0) return at;
      const kind = kinds[depth - 1];
      at = space(text, at);
      char = text.charCodeAt(at++);
      if (char === COMMA) {
        if (kind === OBJECT) at = key(text, space(text, at), depth - 1);
        break;
      }
      if (char !== (kind === OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY)) throw new Malformed();
      depth--;
      if (kind === OBJECT) keyCount = keyStarts[depth]!;
    }
  }
}

function grown<T extends Uint8Array | Int32Array>(array: T, length: number): T {
  const copy = new (array.constructor as new (length: number) => T)(length);
  copy.set(array);
  return copy;
}

/**
 * A key and its colon; where its value starts. A repeated key (or a hash collision) and an
 * array-index key (all digits, no leading zero: objects list those first) are not canonical.
 */
function key(text: string, at: number, depth: number): number {
  if (text.charCodeAt(at) !== QUOTE) throw new Malformed();
  const start = at + 1;
  let hash = 0x811c9dc5 | 0;
  let digits = 0;
  for (at = start; ; ) {
    const char = text.charCodeAt(at);
    if (char === QUOTE) break;
    if (at >= text.length) throw new Malformed();
    hash = Math.imul(hash ^ char, 0x01000193);
    if (char === BACKSLASH) {
      at = escapeSequence(text, at);
      continue;
    }
    if (char >= 0x30 && char <= 0x39) digits++;
    at++;
  }
  const length = at - start;
  if (length > 0 && digits === length && (length === 1 || text.charCodeAt(start) !== 0x30)) {
    clean = false;
  }
  if (seen(depth, hash)) clean = false;
  at = space(text, at + 1);
  if (text.charCodeAt(at) !== COLON) throw new Malformed();
  return at + 1;
}

/** Records a key's hash in its object; whether it was there already. */
function seen(depth: number, hash: number): boolean {
  const set = keySets[depth];
  if (set) return set.size === set.add(hash).size;
  const start = keyStarts[depth]!;
  for (let i = start; i < keyCount; i++) if (keyHashes[i] === hash) return true;
  if (keyCount === keyHashes.length) keyHashes = grown(keyHashes, keyCount * 2);
  keyHashes[keyCount++] = hash;
  if (keyCount - start > FEW_KEYS) keySets[depth] = new Set(keyHashes.subarray(start, keyCount));
  return false;
}

/** A string, found with the engine's search for `"` (and `\`, whose next place is kept). */
function string(text: string, at: number): number {
  at++;
  for (;;) {
    const quote = text.indexOf('"', at);
    if (quote < 0) throw new Malformed();
    if (at < backslashFrom || (backslashAt !== -1 && backslashAt < at)) {
      backslashAt = text.indexOf('\\', at);
      backslashFrom = at;
    }
    if (backslashAt === -1 || backslashAt > quote) return quote + 1;
    at = escapeSequence(text, backslashAt);
  }
}

/**
 * At a backslash: steps over the escape, marking any `JSON.stringify` would not write. It
 * writes `\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, and `\u` only for the other control
 * characters, in lower-case hex, and for lone surrogates (never canonical here: UTF-8 input
 * cannot hold them raw).
 */
function escapeSequence(text: string, at: number): number {
  const kind = text.charCodeAt(at + 1);
  if (kind === 0x75) {
    const high = text.charCodeAt(at + 4);
    const low = hexDigit(text.charCodeAt(at + 5));
    const code = high === 0x30 ? low : high === 0x31 ? 16 + low : -1;
    const control =
      text.charCodeAt(at + 2) === 0x30 && text.charCodeAt(at + 3) === 0x30 && low >= 0;
    if (!control || code < 0 || (code >= 8 && code <= 13 && code !== 11)) clean = false;
    return at + 6;
  }
  if (
    kind !== QUOTE &&
    kind !== BACKSLASH &&
    kind !== 0x62 &&
    kind !== 0x66 &&
    kind !== 0x6e &&
    kind !== 0x72 &&
    kind !== 0x74
  ) {
    if (Number.isNaN(kind)) throw new Malformed();
    clean = false;
  }
  return at + 2;
}

/** Value of a lower-case hex digit; −1 for anything else. */
function hexDigit(char: number): number {
  if (char >= 0x30 && char <= 0x39) return char - 0x30;
  if (char >= 0x61 && char <= 0x66) return char - 0x61 + 10;
  return -1;
}

/**
 * A number: canonical when it is what `String(Number(token))` gives back — short non-negative
 * integers are so by their form, anything else is checked.
 */
function number(text: string, at: number): number {
  const start = at;
  let plain = true;
  for (;;) {
    const char = text.charCodeAt(at);
    if (char >= 0x30 && char <= 0x39) at++;
    else if (char === 0x2d || char === 0x2b || char === 0x2e || char === 0x45 || char === 0x65) {
      plain = false;
      at++;
    } else break;
  }
  const length = at - start;
  if (length === 0) throw new Malformed();
  if (plain && length <= 15 && (length === 1 || text.charCodeAt(start) !== 0x30)) return at;
  const token = text.slice(start, at);
  if (String(Number(token)) !== token) clean = false;
  return at;
}
