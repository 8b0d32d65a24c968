/**
 * `entitySpans`: the byte spans of a listing page's entities and whether each span already is
 * `JSON.stringify` of its parsed value. The spans must be exactly the object elements
 * `JSON.parse` finds at the path (last occurrence of a repeated key), `canonical` may only be
 * true when the bytes are the canonical text, and anything the scanner cannot follow byte for
 * byte gives `undefined`, never a wrong span.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entitySpans } from '../../src/core/snapshot/spans.ts';

// ---------------------------------------------------------------------------------------------
// A document model with ordered entries (repeated keys and `__proto__` stay ordinary members).

type Node =
  | { kind: 'object'; entries: [string, Node][] }
  | { kind: 'array'; items: Node[] }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'literal'; value: boolean | null };

const object = (entries: [string, Node][]): Node => ({ kind: 'object', entries });
const array = (items: Node[]): Node => ({ kind: 'array', items });

/** A parsed JSON value as a node, members in `Object.keys` order (the order `JSON.stringify` uses). */
function toNode(value: unknown): Node {
  if (value === null || typeof value === 'boolean') return { kind: 'literal', value };
  if (typeof value === 'number') return { kind: 'number', value };
  if (typeof value === 'string') return { kind: 'string', value };
  if (Array.isArray(value)) return array(value.map(toNode));
  const record = value as Record<string, unknown>;
  return object(Object.keys(record).map((key) => [key, toNode(record[key])]));
}

// ---------------------------------------------------------------------------------------------
// Serialization: canonical (exactly `JSON.stringify`) or, with a random source, the same value
// written the ways `JSON.stringify` would not (escapes, number forms, whitespace, repeated keys).

/** A small seeded generator, so one fast-check seed picks one way of writing a document. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SHORT_ESCAPES: Record<number, string> = {
  8: '\\b',
  9: '\\t',
  10: '\\n',
  12: '\\f',
  13: '\\r',
};

const DECOYS: Node[] = [
  { kind: 'literal', value: null },
  { kind: 'number', value: 7 },
  { kind: 'string', value: 'decoy' },
  array([]),
  object([]),
  array([object([['decoy', { kind: 'literal', value: true }]])]),
  object([['faq', array([object([['decoy', { kind: 'number', value: 1 }]])])]]),
];

interface Written {
  text: string;
  /** A key of an object on the path (the objects the scanner follows) holds a backslash. */
  escapedKey: boolean;
  /** Such a key is the next key of the path. */
  escapedPathKey: boolean;
}

function serialize(root: Node, path: readonly string[], random?: () => number): Written {
  const chance = (p: number): boolean => random !== undefined && random() < p;
  const pick = <T>(options: readonly T[]): T =>
    options[Math.floor((random ?? (() => 0))() * options.length)]!;
  let escapedKey = false;
  let escapedPathKey = false;
  // Escaping plain characters too is for some documents only (it is enough to spoil a path key).
  const escapeAny = chance(0.3);

  const ws = (): string => (chance(0.08) ? pick([' ', '\n', '\t', '\r\n', '  ', ' \n  ']) : '');
  const unicode = (code: number): string => {
    const hex = code.toString(16).padStart(4, '0');
    return `\\u${chance(0.3) ? hex.toUpperCase() : hex}`;
  };

  const string = (value: string): string => {
    let out = '"';
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      const next = value.charCodeAt(i + 1);
      if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        out += chance(0.3) ? unicode(code) + unicode(next) : value.slice(i, i + 2);
        i++;
      } else if (code >= 0xd800 && code <= 0xdfff)
        out += unicode(code); // lone: must escape
      else if (code === 0x22) out += chance(0.2) ? unicode(code) : '\\"';
      else if (code === 0x5c) out += chance(0.2) ? unicode(code) : '\\\\';
      else if (code < 0x20) {
        const short = SHORT_ESCAPES[code];
        out += short !== undefined && !chance(0.3) ? short : unicode(code);
      } else if (code === 0x2f && chance(0.4)) out += '\\/';
      else if (code >= 0x7f && chance(0.3)) out += unicode(code);
      else if (escapeAny && chance(0.02)) out += unicode(code);
      else out += value[i];
    }
    return `${out}"`;
  };

  const number = (value: number): string => {
    if (random === undefined) return JSON.stringify(value);
    if (Object.is(value, -0)) return pick(['-0', '0', '-0.0', '0.0', '-0e0', '0E+3', '-0e-2']);
    const plain = String(value);
    const forms = [plain, value.toExponential(), value.toExponential().replace('e+', 'e')];
    if (!plain.includes('e') && !plain.includes('.')) {
      forms.push(
        `${plain}.0`,
        `${plain}.00`,
        `${plain}e0`,
        `${plain}E0`,
        `${plain}e+0`,
        `${plain}e-0`,
      );
    }
    if (!plain.includes('e') && plain.includes('.')) forms.push(`${plain}0`, `${plain}00e0`);
    if (plain.includes('e')) {
      forms.push(
        plain.replace('e', 'E'),
        plain.replace('e+', 'e'),
        plain.replace(/e([+-]?)/, 'e$10'),
      );
    }
    return chance(0.5) ? pick(forms) : plain;
  };

  /** `chain`: the keys from the root when only objects lie between, else undefined. */
  const value = (node: Node, chain: readonly string[] | undefined): string => {
    switch (node.kind) {
      case 'literal':
        return String(node.value);
      case 'number':
        return number(node.value);
      case 'string':
        return string(node.value);
      case 'array': {
        if (node.items.length === 0) return `[${ws()}]`;
        const items = node.items.map((item) => ws() + value(item, undefined) + ws());
        return `[${items.join(',')}]`;
      }
      case 'object': {
        const followed =
          chain !== undefined &&
          chain.length < path.length &&
          chain.every((key, i) => path[i] === key);
        const member = (key: string, child: Node): string => {
          const written = string(key);
          if (followed && written.includes('\\')) {
            escapedKey = true;
            if (key === path[chain.length]) escapedPathKey = true;
          }
          const childChain = chain === undefined ? undefined : [...chain, key];
          return `${ws()}${written}${ws()}:${ws()}${value(child, childChain)}${ws()}`;
        };
        const members: string[] = [];
        for (const [key, child] of node.entries) {
          // A repeated key before the real one: `JSON.parse` keeps the last.
          if (chance(0.08)) members.push(member(key, pick(DECOYS)));
          members.push(member(key, child));
        }
        if (members.length === 0) return `{${ws()}}`;
        return `{${members.join(',')}}`;
      }
    }
  };

  const text = ws() + value(root, []) + ws();
  return { text, escapedKey, escapedPathKey };
}

// ---------------------------------------------------------------------------------------------
// What `JSON.parse` says, and the checks every answer must pass.

const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/**
 * `JSON.parse` as the specification has it, used as the oracle here: members are defined the
 * way `JSON.parse` defines them (the last value of a repeated key wins, in the first one's
 * place). Not `JSON.parse` itself: in V8 13.6 (Node 24) a parse can decode an escaped key
 * wrongly, or keep the first value of a repeated one, once an earlier parse left a matching
 * map transition (https://github.com/nodejs/node/issues/63785), e.g. the second of two
 * `JSON.parse('{"\\u0000":0,"\\u0000":1,"\\\\":2}')` gives `{"\u0000":0,"\\":2}`.
 */
function parseJson(text: string): unknown {
  let at = 0;
  const fail = (): never => {
    throw new SyntaxError(`Malformed JSON at ${at}`);
  };
  const space = (): void => {
    while (text[at] === ' ' || text[at] === '\n' || text[at] === '\r' || text[at] === '\t') at++;
  };
  const string = (): string => {
    at++;
    let out = '';
    for (;;) {
      const char = text[at++];
      if (char === undefined) return fail();
      if (char === '"') return out;
      if (char < ' ') fail();
      if (char !== '\\') {
        out += char;
        continue;
      }
      const kind = text[at++] ?? fail();
      if (kind === 'u') {
        const hex = text.slice(at, at + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail();
        out += String.fromCharCode(Number.parseInt(hex, 16));
        at += 4;
      } else out += SIMPLE_ESCAPES[kind] ?? fail();
    }
  };
  const value = (): unknown => {
    space();
    const char = text[at];
    if (char === '{' || char === '[') {
      at++;
      const close = char === '{' ? '}' : ']';
      const record: Record<string, unknown> = {};
      const items: unknown[] = [];
      space();
      if (text[at] === close) {
        at++;
        return char === '{' ? record : items;
      }
      for (;;) {
        if (char === '[') items.push(value());
        else {
          space();
          if (text[at] !== '"') fail();
          const key = string();
          space();
          if (text[at++] !== ':') fail();
          const member = { value: value(), enumerable: true, writable: true, configurable: true };
          Object.defineProperty(record, key, member);
        }
        space();
        const next = text[at++];
        if (next === close) return char === '{' ? record : items;
        if (next !== ',') fail();
      }
    }
    if (char === '"') return string();
    for (const [word, literal] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return literal;
      }
    }
    NUMBER.lastIndex = at;
    const token = NUMBER.exec(text)?.[0] ?? fail();
    at += token.length;
    return Number(token);
  };
  const result = value();
  space();
  if (at !== text.length) fail();
  return result;
}

function objectsAt(document: unknown, path: readonly string[]): unknown[] {
  let at: unknown = document;
  for (const key of path) {
    if (at === null || typeof at !== 'object' || Array.isArray(at) || !Object.hasOwn(at, key)) {
      return [];
    }
    at = (at as Record<string, unknown>)[key];
  }
  if (!Array.isArray(at)) return [];
  return at.filter((item) => item !== null && typeof item === 'object' && !Array.isArray(item));
}

const wellFormed = (text: string): boolean => Buffer.from(text, 'utf8').toString('utf8') === text;
const ARRAY_INDEX = /^(?:0|[1-9][0-9]*)$/;
/** A key's canonical text with each escape reduced to its backslash (what the key hash sees). */
const escapesBlanked = (key: string): string =>
  JSON.stringify(key).replace(/\\(?:u[0-9a-fA-F]{4}|.)/g, '\\');

/**
 * Whether canonical text of `value` must be recognized as such: the only false negatives the
 * contract allows are array-index keys, `\u` escapes other than lower-case control escapes
 * (in canonical text: lone surrogates) and key hash collisions (keys differing only inside
 * escapes hash alike).
 */
function plain(value: unknown): boolean {
  if (typeof value === 'string') return wellFormed(value);
  if (Array.isArray(value)) return value.every(plain);
  if (value === null || typeof value !== 'object') return true;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (new Set(keys.map(escapesBlanked)).size !== keys.length) return false;
  return keys.every((key) => !ARRAY_INDEX.test(key) && wellFormed(key) && plain(record[key]));
}

interface Tally {
  documents: number;
  undefinedAnswers: number;
  elements: number;
  canonical: number;
  plainCanonicalText: number;
}

const newTally = (): Tally => ({
  documents: 0,
  undefinedAnswers: 0,
  elements: 0,
  canonical: 0,
  plainCanonicalText: 0,
});

/**
 * Checks `entitySpans(bytes, path)` against `JSON.parse`. `escapedKey`: a followed object's key
 * is written with a backslash, so `undefined` is allowed; `escapedPathKey`: a key on the path
 * is, so `undefined` is required.
 */
function checkSpans(
  bytes: Buffer,
  path: readonly string[],
  flags: { escapedKey: boolean; escapedPathKey: boolean },
  tally: Tally = newTally(),
): void {
  tally.documents++;
  const parsed = parseJson(bytes.toString('utf8'));
  const result = entitySpans(bytes, path);
  if (flags.escapedPathKey) {
    expect(result).toBeUndefined();
    tally.undefinedAnswers++;
    return;
  }
  if (!flags.escapedKey) expect(result).toBeDefined();
  if (result === undefined) {
    tally.undefinedAnswers++;
    return;
  }
  const expected = objectsAt(parsed, path);
  expect(result.starts).toHaveLength(expected.length);
  expect(result.ends).toHaveLength(expected.length);
  expect(result.canonical).toHaveLength(expected.length);
  let previousEnd = 0;
  for (const [i, element] of expected.entries()) {
    const start = result.starts[i]!;
    const end = result.ends[i]!;
    expect(start).toBeGreaterThanOrEqual(previousEnd);
    expect(end).toBeGreaterThan(start);
    expect(end).toBeLessThanOrEqual(bytes.length);
    previousEnd = end;
    expect(bytes[start]).toBe(0x7b);
    expect(bytes[end - 1]).toBe(0x7d);
    const text = bytes.subarray(start, end).toString('utf8');
    const reparsed = parseJson(text);
    expect(reparsed).toEqual(element);
    const canonicalText = JSON.stringify(element);
    expect(JSON.stringify(reparsed)).toBe(canonicalText);
    tally.elements++;
    if (result.canonical[i]) {
      tally.canonical++;
      expect(text).toBe(canonicalText);
    } else if (text === canonicalText && plain(element)) {
      // Canonical bytes nothing in the contract excuses: must be recognized.
      expect({ text, canonical: result.canonical[i] }).toEqual({ text, canonical: true });
    }
    if (text === canonicalText && plain(element)) tally.plainCanonicalText++;
  }
}

// ---------------------------------------------------------------------------------------------
// Arbitraries.

const nastyKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '0',
  '1',
  '10',
  '01',
  '007',
  '-1',
  '1.5',
  '4294967295',
  '9007199254740993',
  'a"b',
  'a\\b',
  '\\',
  '"',
  '*/',
  '/*',
  '</script>',
  'é',
  '日本',
  '😀',
  '\u2028',
  '\u0000',
  '\u000b',
  '\u001f',
  '\u007f',
  '\n\t',
  '',
  ' ',
  'data',
  'faq',
  'slug',
  'meta',
);

const key = fc.oneof(
  { weight: 3, arbitrary: nastyKey },
  { weight: 2, arbitrary: fc.string({ maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 3 }) },
);

const numberValue = fc.oneof(
  fc.integer(),
  fc.integer({ min: -1000, max: 1000 }).map((n) => n * 100),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter(Number.isFinite),
  fc.constantFrom(0, -0, 1e21, 1e-7, 1.5, 0.1, 2 ** 53, 2 ** 53 + 2, 123456789012345680000, 5e-324),
);

const stringValue = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
  fc.constantFrom('\u0000', '\b\f\n\r\t\u000b', '/', '*/', '\\u0041', '"', '\u2028\u2029', '😀é'),
);

const leaf: fc.Arbitrary<Node> = fc.oneof(
  numberValue.map((value): Node => ({ kind: 'number', value })),
  stringValue.map((value): Node => ({ kind: 'string', value })),
  fc
    .constantFrom<boolean | null>(true, false, null)
    .map((value): Node => ({ kind: 'literal', value })),
  fc.jsonValue({ maxDepth: 2 }).map(toNode),
);

const { node: anyNode } = fc.letrec<{ node: Node; array: Node; object: Node }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('node'), { maxLength: 4 }).map(array),
  object: fc.array(fc.tuple(key, tie('node')), { maxLength: 5 }).map(object),
}));

/** An object with many keys (past the scanner's few-keys list), some values nested objects. */
const bigObject: fc.Arbitrary<Node> = fc
  .tuple(
    fc.uniqueArray(key, { minLength: 30, maxLength: 45 }),
    fc.array(fc.tuple(key, leaf), { maxLength: 3 }),
    fc.array(anyNode, { minLength: 45, maxLength: 45 }),
  )
  .map(([keys, repeated, values]) =>
    object([...keys.map((k, i): [string, Node] => [k, values[i]!]), ...repeated]),
  );

const entity = fc.oneof(
  { weight: 6, arbitrary: fc.array(fc.tuple(key, anyNode), { maxLength: 6 }).map(object) },
  { weight: 1, arbitrary: bigObject },
);

const list = fc
  .array(fc.oneof({ weight: 4, arbitrary: entity }, { weight: 1, arbitrary: anyNode }), {
    maxLength: 6,
  })
  .map(array);

/** Keys next to the path: mostly what a page has there, sometimes anything. */
const neighbourKey = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('meta', 'count', 'next_page', 'previous_page', 'datas') },
  { weight: 1, arbitrary: key },
);
const members = fc.array(fc.tuple(neighbourKey, anyNode), { maxLength: 3 });

/** A listing page: `{data: [...]}` or a collection `{data: {<key>: [...]}}`, with neighbours. */
const page = fc
  .record({
    collection: fc.boolean(),
    collectionKey: neighbourKey,
    list,
    before: members,
    after: members,
    innerBefore: members,
    innerAfter: members,
    decoy: fc.option(anyNode, { nil: undefined }),
    innerDecoy: fc.option(anyNode, { nil: undefined }),
  })
  .map(({ collection, collectionKey, before, after, innerBefore, innerAfter, ...rest }) => {
    const decoy = (k: string, d: Node | undefined): [string, Node][] => (d ? [[k, d]] : []);
    if (!collection) {
      const root = object([...before, ...decoy('data', rest.decoy), ['data', rest.list], ...after]);
      return { root, path: ['data'] as readonly string[] };
    }
    const data = object([
      ...innerBefore,
      ...decoy(collectionKey, rest.innerDecoy),
      [collectionKey, rest.list],
      ...innerAfter,
    ]);
    const root = object([...before, ...decoy('data', rest.decoy), ['data', data], ...after]);
    return { root, path: ['data', collectionKey] as readonly string[] };
  });

// ---------------------------------------------------------------------------------------------

describe('the JSON.parse oracle', () => {
  it('reads what JSON.stringify writes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        expect(JSON.stringify(parseJson(text))).toBe(text);
        expect(JSON.stringify(parseJson(JSON.stringify(value, null, 2)))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('reads like JSON.parse', () => {
    for (const text of [
      '{"a":1,"b":2,"a":3}',
      '{"b":1,"1":2,"__proto__":{"x":[]},"\\u0041":"\\u00e9\\/","A":-0}',
      ' [ 1.5e3 , -0.0, "\\ud83d\\ude00\\n" , true,false,null,{} ] ',
    ]) {
      expect(parseJson(text)).toEqual(JSON.parse(text));
    }
    for (const text of ['{"a":1,}', '[1,]', '01', '"\\x"', '{"a"}', '[1] 2', '"\n"']) {
      expect(() => parseJson(text), text).toThrow(SyntaxError);
      expect(() => JSON.parse(text), text).toThrow(SyntaxError);
    }
  });
});

describe('entitySpans (property)', () => {
  it('finds what JSON.parse finds, and calls canonical only the canonical text', () => {
    const tallies = { compact: newTally(), pretty: newTally(), custom: newTally() };
    fc.assert(
      fc.property(
        page,
        fc.integer(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (doc, seed, cut) => {
          const { root, path } = doc;
          // The value, as `JSON.parse` reads the canonical writing of the model.
          const canonical = serialize(root, path);
          const value = parseJson(canonical.text);
          // The same value again, canonical: the serializer agrees with `JSON.stringify`.
          const flags = serialize(toNode(value), path);
          const compact = JSON.stringify(value);
          expect(flags.text).toBe(compact);

          // (a) compact, (b) pretty: the forms `JSON.stringify` writes.
          checkSpans(Buffer.from(compact), path, flags, tallies.compact);
          checkSpans(Buffer.from(JSON.stringify(value, null, 2)), path, flags, tallies.pretty);

          // (c) the model written in unusual but valid ways, twice.
          for (const salt of [0, 0x9e3779b9]) {
            const written = serialize(root, path, mulberry32(seed ^ salt));
            checkSpans(Buffer.from(written.text), path, written, tallies.custom);
          }

          // Any strict prefix of a document is malformed.
          const bytes = Buffer.from(compact);
          const at = Math.min(bytes.length - 1, Math.floor(cut * bytes.length));
          expect(entitySpans(bytes.subarray(0, at), path)).toBeUndefined();
        },
      ),
      { numRuns: 400 },
    );
    // The runs exercised something: entities found, canonical ones recognized.
    for (const tally of Object.values(tallies)) {
      expect(tally.elements).toBeGreaterThan(200);
      expect(tally.undefinedAnswers).toBeLessThan(tally.documents / 2);
    }
    expect(tallies.compact.canonical).toBeGreaterThan(200);
    expect(tallies.compact.plainCanonicalText).toBeGreaterThan(200);
    expect(tallies.custom.canonical).toBeGreaterThan(50);
    expect(tallies.custom.canonical).toBeLessThan(tallies.custom.elements);
  });

  it('marks every plain entity of compact JSON.stringify canonical', () => {
    const plainKey = key.filter((k) => !ARRAY_INDEX.test(k) && wellFormed(k));
    const plainLeaf: fc.Arbitrary<unknown> = fc.oneof(
      numberValue,
      stringValue.filter(wellFormed),
      fc.constantFrom(true, false, null),
    );
    /** Objects with distinct keys (`__proto__` included, as own data properties). */
    const plainObject = (value: fc.Arbitrary<unknown>, maxLength: number) =>
      fc
        .uniqueArray(fc.tuple(plainKey, value), { maxLength, selector: ([k]) => escapesBlanked(k) })
        .map((entries) => {
          const record: Record<string, unknown> = {};
          for (const [k, v] of entries)
            Object.defineProperty(record, k, {
              value: v,
              enumerable: true,
              writable: true,
              configurable: true,
            });
          return record;
        });
    const { value: plainValue } = fc.letrec<{ value: unknown; node: unknown }>((tie) => ({
      value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, plainLeaf, tie('node')),
      node: fc.oneof(fc.array(tie('value'), { maxLength: 4 }), plainObject(tie('value'), 6)),
    }));
    const plainEntity = plainObject(plainValue, 8);
    let entities = 0;
    fc.assert(
      fc.property(fc.array(plainEntity, { maxLength: 5 }), key, (entities_, collectionKey) => {
        const pages: [unknown, string[]][] = [
          [{ data: entities_ }, ['data']],
          [{ data: { [collectionKey]: entities_ } }, ['data', collectionKey]],
        ];
        for (const [document, path] of pages) {
          const text = JSON.stringify(document);
          const result = entitySpans(Buffer.from(text), path);
          if (JSON.stringify(collectionKey).includes('\\') && path.length === 2) {
            expect(result).toBeUndefined();
            continue;
          }
          expect(result).toBeDefined();
          expect(result!.canonical).toEqual(entities_.map(() => true));
          const bytes = Buffer.from(text);
          for (const [i, element] of entities_.entries()) {
            expect(bytes.subarray(result!.starts[i]!, result!.ends[i]!).toString()).toBe(
              JSON.stringify(element),
            );
            entities++;
          }
        }
      }),
      { numRuns: 300 },
    );
    expect(entities).toBeGreaterThan(300);
  });
});

// ---------------------------------------------------------------------------------------------

const spans = (text: string | Buffer, path: readonly string[] = ['data']) =>
  entitySpans(typeof text === 'string' ? Buffer.from(text) : text, path);

/** The texts and canonical flags of the entities at `path`, after the soundness checks. */
function entities(text: string, path: readonly string[] = ['data']) {
  const bytes = Buffer.from(text);
  checkSpans(bytes, path, { escapedKey: false, escapedPathKey: false });
  const result = entitySpans(bytes, path)!;
  return result.starts.map((start, i) => ({
    text: bytes.subarray(start, result.ends[i]).toString(),
    canonical: result.canonical[i],
  }));
}

/** Whether the single entity `element` of a page is found canonical (soundness checked). */
const canonicalOf = (element: string): boolean | undefined => {
  const found = entities(`{"data":[${element}]}`);
  expect(found).toHaveLength(1);
  expect(found[0]!.text).toBe(element);
  return found[0]!.canonical;
};

describe('entitySpans (examples)', () => {
  it('follows the last of repeated path keys, like JSON.parse', () => {
    expect(entities('{"data":[{"a":1}],"meta":{"count":1},"data":[{"b":2},7,{"c":3}]}')).toEqual([
      { text: '{"b":2}', canonical: true },
      { text: '{"c":3}', canonical: true },
    ]);
    expect(entities('{"data":[{"a":1}],"data":5}')).toEqual([]);
    expect(entities('{"data":[{"a":1}],"data":{"x":[{"b":2}]}}')).toEqual([]);
    expect(entities('{"data":5,"data":[{"a":1}]}')).toEqual([{ text: '{"a":1}', canonical: true }]);

    const faq = ['data', 'faq'];
    expect(entities('{"data":{"faq":[{"a":1}]},"data":{"faq":[{"b":2}]}}', faq)).toEqual([
      { text: '{"b":2}', canonical: true },
    ]);
    expect(entities('{"data":{"faq":[{"a":1}],"faq":[{"b":2}]}}', faq)).toEqual([
      { text: '{"b":2}', canonical: true },
    ]);
    expect(entities('{"data":{"faq":[{"a":1}]},"data":{"other":[{"b":2}]}}', faq)).toEqual([]);
    expect(entities('{"data":{"faq":[{"a":1}]},"data":[{"faq":[]}]}', faq)).toEqual([]);
    expect(entities('{"data":{"faq":[{"a":1}],"faq":null}}', faq)).toEqual([]);
    expect(entities('{"data":[],"data":{"faq":[{"a":1}]}}', faq)).toEqual([
      { text: '{"a":1}', canonical: true },
    ]);
  });

  it('gives empty spans when the path is absent or holds no list', () => {
    expect(spans('{}')).toEqual({ starts: [], ends: [], canonical: [] });
    expect(spans('{"meta":{"data":[{"a":1}]}}')).toEqual({ starts: [], ends: [], canonical: [] });
    expect(spans('{"data":null}')).toEqual({ starts: [], ends: [], canonical: [] });
    expect(spans('{"data":{"a":1}}')).toEqual({ starts: [], ends: [], canonical: [] });
    expect(spans('{"data":[]}', ['data', 'faq'])).toEqual({ starts: [], ends: [], canonical: [] });
    expect(spans('{"data":{"faq":{}}}', ['data', 'faq'])).toEqual({
      starts: [],
      ends: [],
      canonical: [],
    });
  });

  it('skips elements that are not objects', () => {
    expect(
      entities('{"data":[1,"{x}",null,[{"a":1}],{"b":[{"c":2}]},true,false,-1.5e3,{}]}'),
    ).toEqual([
      { text: '{"b":[{"c":2}]}', canonical: true },
      { text: '{}', canonical: true },
    ]);
  });

  it('gives undefined for a path key written with an escape', () => {
    expect(spans('{"d\\u0061ta":[{"a":1}]}')).toBeUndefined();
    expect(spans('{"data":[{"a":1}],"d\\u0061ta":[{"b":2}]}')).toBeUndefined();
    expect(spans('{"data":{"f\\u0061q":[{"a":1}]}}', ['data', 'faq'])).toBeUndefined();
    expect(spans('{"data":{"fa\\/q":[]}}', ['data', 'fa/q'])).toBeUndefined();
  });

  it('gives undefined for a leading byte-order mark', () => {
    const text = '{"data":[{"a":1}]}';
    expect(
      spans(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])),
    ).toBeUndefined();
    expect(spans(`\ufeff${text}`)).toBeUndefined();
  });

  it('gives undefined for a truncated or trailing-garbage document', () => {
    const text = '{"data":[{"a":[1,true,null,"x\\"y"],"é":{"b":false}},2,{"c":-0.5e-3}],"meta":{}}';
    for (let at = 0; at < text.length; at++) {
      expect(spans(text.slice(0, at)), text.slice(0, at)).toBeUndefined();
    }
    const bytes = Buffer.from(text);
    for (let at = 0; at < bytes.length; at++) {
      expect(spans(bytes.subarray(0, at))).toBeUndefined();
    }
    expect(spans(`${text}x`)).toBeUndefined();
    expect(spans(`${text}{}`)).toBeUndefined();
    expect(spans(` \n${text}\n `)).toBeDefined();
    // And a malformed answer leaves nothing behind for the next document.
    expect(entities('{"data":[{"a":1,"b":{"c":2}}]}')).toEqual([
      { text: '{"a":1,"b":{"c":2}}', canonical: true },
    ]);
  });

  it('scans deep nesting without recursion', () => {
    const depth = 10_000;
    const arrays = `{"a":${'['.repeat(depth)}${']'.repeat(depth)},"b":1}`;
    const objects = `{"a":${'{"k":'.repeat(depth)}1${'}'.repeat(depth)},"b":1}`;
    const mixed = `{"a":${'[{"k":'.repeat(depth)}1${'}]'.repeat(depth)}}`;
    for (const element of [arrays, objects, mixed]) {
      const text = `{"meta":${element},"data":[${element},{"x":1}],"after":${element}}`;
      const result = spans(text)!;
      expect(result.canonical).toEqual([true, true]);
      expect(text.slice(result.starts[0], result.ends[0])).toBe(element);
      expect(text.slice(result.starts[1], result.ends[1])).toBe('{"x":1}');
    }
    // Deep and repeated key at the bottom: not canonical.
    const repeated = `{"a":${'['.repeat(depth)}{"k":1,"k":2}${']'.repeat(depth)}}`;
    expect(spans(`{"data":[${repeated}]}`)!.canonical).toEqual([false]);
  });

  it('accepts the escapes JSON.stringify writes, and only those', () => {
    const cases: [string, boolean][] = [
      ['\\u0000', true],
      ['\\u0001', true],
      ['\\u000b', true],
      ['\\u000e', true],
      ['\\u001f', true],
      ['\\b\\f\\n\\r\\t', true],
      ['\\"', true],
      ['\\\\', true],
      ['é😀\u2028\u007f/', true],
      ['\\u001F', false],
      ['\\u000B', false],
      ['\\u000a', false],
      ['\\u0008', false],
      ['\\u0009', false],
      ['\\u000c', false],
      ['\\u000d', false],
      ['\\u0022', false],
      ['\\u005c', false],
      ['\\u0041', false],
      ['\\u007f', false],
      ['\\u00e9', false],
      ['\\u00E9', false],
      ['\\u2028', false],
      ['\\ud83d\\ude00', false],
      ['\\/', false],
    ];
    for (const [written, canonical] of cases) {
      expect(canonicalOf(`{"s":"${written}"}`), `value ${written}`).toBe(canonical);
      expect(canonicalOf(`{"${written}":0}`), `key ${written}`).toBe(canonical);
      expect(JSON.stringify(parseJson(`"${written}"`)) === `"${written}"`).toBe(canonical);
    }
    // Lone surrogates are escaped by JSON.stringify; the scanner may call them either way.
    canonicalOf('{"s":"\\ud800"}');
    canonicalOf('{"\\udfff":"x"}');
  });

  it('calls a number canonical exactly when String(Number(token)) gives it back', () => {
    const tokens = [
      ['-0', false],
      ['1.0', false],
      ['1e2', false],
      ['1E2', false],
      ['0', true],
      ['12', true],
      ['-5', true],
      ['1.5', true],
      ['1e+21', true],
      ['1e21', false],
      ['1E+21', false],
      ['1e-7', true],
      ['1e-6', false],
      ['0.000001', true],
      ['0.1', true],
      ['1.50', false],
      ['-0.0', false],
      ['0e0', false],
      ['100', true],
      ['999999999999999', true],
      ['1234567890123456', true],
      ['12345678901234567', false],
      ['123456789012345680000', true],
      ['9007199254740993', false],
      ['5e-324', true],
      ['1.7976931348623157e+308', true],
      ['1e400', false],
      ['-1e-400', false],
    ] as const;
    for (const [token, canonical] of tokens) {
      expect(String(Number(token)) === token).toBe(canonical);
      expect(canonicalOf(`{"n":${token}}`), token).toBe(canonical);
      expect(canonicalOf(`{"n":[${token},{"m":${token}}]}`), token).toBe(canonical);
    }
  });

  it('does not call canonical an object with a repeated key', () => {
    expect(canonicalOf('{"a":1,"a":1}')).toBe(false);
    expect(canonicalOf('{"a":1,"b":2,"a":3}')).toBe(false);
    expect(canonicalOf('{"x":{"a":1,"a":2}}')).toBe(false);
    expect(canonicalOf('{"x":[{"a":{"b":1}},{"a":1,"c":{},"a":2}]}')).toBe(false);
    expect(canonicalOf('{"__proto__":1,"__proto__":2}')).toBe(false);
    expect(canonicalOf('{"a\\"":1,"a\\"":2}')).toBe(false);
    // Same key in nested or sibling objects is no repetition.
    expect(canonicalOf('{"a":{"a":1},"b":2}')).toBe(true);
    expect(canonicalOf('{"a":{"b":1,"c":{"b":2}},"b":2}')).toBe(true);
    expect(canonicalOf('{"x":[{"a":1},{"a":2}],"a":3}')).toBe(true);
    expect(canonicalOf('{"__proto__":{"__proto__":null},"constructor":1}')).toBe(true);
  });

  it('does not call canonical an object with a repeated empty key', () => {
    expect(JSON.stringify(parseJson('{"":1,"":2}'))).toBe('{"":2}');
    expect(canonicalOf('{"":1,"":2}')).toBe(false);
    expect(canonicalOf('{"x":{"":{},"":2}}')).toBe(false);
    const many = Array.from({ length: 40 }, (_, i) => `"k${i}":${i}`).join(',');
    expect(canonicalOf(`{"":1,${many},"":2}`)).toBe(false);
  });

  it('tracks the empty key like any other', () => {
    expect(canonicalOf('{"":1}')).toBe(true);
    expect(canonicalOf('{"":1,"a":{"":2},"b":[{"":3}]}')).toBe(true);
    const many = Array.from({ length: 40 }, (_, i) => `"k${i}":${i}`).join(',');
    expect(canonicalOf(`{${many},"":1,"":2}`)).toBe(false);
  });

  it('tracks the keys of objects with many members', () => {
    const keys = Array.from({ length: 40 }, (_, i) => `k${i}`);
    const many = (extra: string[]) =>
      `{${[...keys, ...extra].map((k, i) => `"${k}":${i % 7 === 0 ? `{"${k}":{"k0":1}}` : i}`).join(',')}}`;
    expect(canonicalOf(many([]))).toBe(true);
    expect(canonicalOf(many(['k39']))).toBe(false);
    expect(canonicalOf(many(['k0']))).toBe(false);
    expect(canonicalOf(many(['k33']))).toBe(false);
    expect(canonicalOf(many(['z', 'z']))).toBe(false);
    expect(canonicalOf(`{"a":${many([])},"b":${many([])},"k0":0}`)).toBe(true);
    expect(canonicalOf(`{"k0":${many([])},"b":1,"k0":0}`)).toBe(false);
    // Many entities with many keys: state does not leak from one to the next.
    const found = entities(`{"data":[${many([])},${many(['k5'])},${many([])},{"k1":1}]}`);
    expect(found.map((e) => e.canonical)).toEqual([true, false, true, true]);
  });

  it('does not call canonical an object with an array-index key', () => {
    expect(canonicalOf('{"b":1,"1":2}')).toBe(false);
    expect(canonicalOf('{"b":1,"0":2}')).toBe(false);
    expect(canonicalOf('{"x":{"b":1,"10":2}}')).toBe(false);
    expect(JSON.stringify(parseJson('{"b":1,"1":2}'))).toBe('{"1":2,"b":1}');
    // Not array indices: kept in place.
    expect(canonicalOf('{"b":1,"01":2,"-1":3,"1.5":4," 1":5}')).toBe(true);
  });

  it('does not call canonical an entity with whitespace', () => {
    expect(
      entities('{ "data" : [ {"a":1} ,\n\t{ "b":2}, {"c" :3},{"d": 4},{"e":[ ]},{"f":5 } ] }'),
    ).toEqual([
      { text: '{"a":1}', canonical: true },
      { text: '{ "b":2}', canonical: false },
      { text: '{"c" :3}', canonical: false },
      { text: '{"d": 4}', canonical: false },
      { text: '{"e":[ ]}', canonical: false },
      { text: '{"f":5 }', canonical: false },
    ]);
    expect(canonicalOf('{ }')).toBe(false);
    expect(canonicalOf('{"a":[1 ,2]}')).toBe(false);
  });

  it('measures spans in bytes', () => {
    const text = '{"é":"😀","data":[{"ü":"日本"},{"a":"\u2028"}]}';
    const result = spans(text)!;
    const bytes = Buffer.from(text);
    expect(result.starts.map((s, i) => bytes.subarray(s, result.ends[i]).toString())).toEqual([
      '{"ü":"日本"}',
      '{"a":"\u2028"}',
    ]);
    expect(result.canonical).toEqual([true, true]);
  });
});
