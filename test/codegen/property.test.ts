import fc from 'fast-check';
import type { JSONSchema4 } from 'json-schema';
import { describe, expect, it } from 'vitest';
import { emitDeclarations, inferSchema, serializeLock } from '../../src/core/codegen/index.ts';
import type { ObjectShape, Shape, TypesLock } from '../../src/core/codegen/model.ts';
import { lockToSchema } from '../../src/core/codegen/schema.ts';
import type { Json, JsonObject, SnapshotContent } from '../../src/core/model/content.ts';
import { probeSource, typecheck } from './compile.ts';
import { emptyContent, page, samplesOf } from './helpers.ts';
import { validate } from './validate.ts';

const KEYS = [
  'title',
  'body',
  'image',
  'n',
  'flag',
  'when',
  'list',
  'seo',
  'ref',
  'choice',
  '__proto__',
  'with space',
  '*/',
];

/** Objects built from entries, so that `__proto__` stays an ordinary key. */
const objectOf = (value: fc.Arbitrary<Json>): fc.Arbitrary<JsonObject> =>
  fc
    .uniqueArray(fc.tuple(fc.constantFrom(...KEYS), value), { maxLength: 5, selector: ([k]) => k })
    .map((entries) => Object.fromEntries(entries) as JsonObject);

const leaf: fc.Arbitrary<Json> = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom('left', 'right', 'center'),
  fc.constantFrom('2024-05-17T14:14:41.484894Z', '2024-09-19T00:00:00', '2021-08-04T20:30:00Z'),
  fc.constantFrom('<p>Hi</p>', 'plain <b>bold</b>'),
  fc.constantFrom('https://cdn.buttercms.com/abc', 'https://example.com/x'),
  fc.record({
    url: fc.constantFrom('https://cdn.buttercms.com/m', ''),
    alt: fc.constantFrom('alt', ''),
  }),
  fc.constantFrom('/v2/pages/pa/one/', '/v2/pages/pb/two', '/v2/pages/gone/x/'),
  fc.constantFrom('/v2/content/?keys=ca[_id=1]', '/v2/content/?keys=cb[_id=2]'),
  fc.constantFrom('', null, {}, []),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
);

const { value: anyValue } = fc.letrec<{ value: Json; node: Json }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('node')),
  node: fc.oneof(
    objectOf(tie('value')),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.array(
      fc.record({ type: fc.constantFrom('hero', 'cta', '*/x'), fields: objectOf(tie('value')) }),
      {
        maxLength: 3,
      },
    ),
  ),
}));

const fieldsArb = objectOf(anyValue);

const contentArb: fc.Arbitrary<SnapshotContent> = fc
  .record({
    locales: fc.array(
      fc.record({
        pa: fc.array(fieldsArb, { maxLength: 3 }),
        pb: fc.array(fieldsArb, { maxLength: 3 }),
        single: fc.option(fieldsArb, { nil: undefined }),
        ca: fc.array(fieldsArb, { maxLength: 3 }),
      }),
      { minLength: 1, maxLength: 2 },
    ),
    posts: fc.array(fieldsArb, { maxLength: 2 }),
  })
  .map(({ locales, posts }) => {
    const content = emptyContent(locales.map((_, i) => ({ locale: i === 0 ? null : `l${i}` })));
    locales.forEach((l, i) => {
      const target = content.locales[i]!;
      target.pageTypes = {
        pa: l.pa.map((f, j) => page(`a${j}`, 'pa', f)),
        pb: l.pb.map((f, j) => page(`b${j}`, 'pb', f)),
      };
      target.singlePages = l.single ? [page('home', null, l.single)] : [];
      target.collections = { ca: l.ca.map((f, j) => ({ meta: { id: j + 1 }, ...f })) };
    });
    content.blog.posts = posts;
    return content;
  });

function problems(content: SnapshotContent, lock: TypesLock): string[] {
  const { schema, keys } = lockToSchema(lock);
  const defs = withContentKeys(schema.definitions ?? {}, keys);
  return samplesOf(content, lock).flatMap(({ type, value }) => {
    const problem = validate(value, { $ref: `#/definitions/${type}` }, defs);
    return problem ? [`${type} ${problem}`] : [];
  });
}

/**
 * The definitions with their properties named by the content keys again (the schema names
 * them `p0`, `p1` …), to validate content against.
 */
function withContentKeys(
  definitions: { [name: string]: JSONSchema4 },
  keys: Map<string, string[]>,
): { [name: string]: JSONSchema4 } {
  const out: { [name: string]: JSONSchema4 } = {};
  for (const [name, definition] of Object.entries(definitions)) {
    const contentKeys = keys.get(name);
    if (!contentKeys) {
      out[name] = definition;
      continue;
    }
    const key = (placeholder: string) => contentKeys[Number(placeholder.slice(1))]!;
    const properties = Object.create(null) as { [key: string]: JSONSchema4 };
    for (const [placeholder, property] of Object.entries(definition.properties ?? {})) {
      properties[key(placeholder)] = property;
    }
    out[name] = {
      ...definition,
      properties,
      ...(Array.isArray(definition.required) ? { required: definition.required.map(key) } : {}),
    };
  }
  return out;
}

/** Whether `wide` keeps every field and kind of `narrow`, and every optional field optional. */
function covers(wide: ObjectShape, narrow: ObjectShape): boolean {
  return narrow.props.every((old) => {
    const now = wide.props.find((p) => p.key === old.key);
    return (
      now !== undefined && (!old.optional || now.optional) && coversShape(now.shape, old.shape)
    );
  });
}

function coversShape(wide: Shape, narrow: Shape): boolean {
  const flags = [
    'null',
    'boolean',
    'number',
    'string',
    'emptyObject',
    'object',
    'array',
    'ref',
  ] as const;
  if (flags.some((f) => narrow[f] !== undefined && wide[f] === undefined)) return false;
  if (narrow.number === 'number' && wide.number === 'integer') return false;
  if ((narrow.component ?? []).some((c) => !wide.component?.includes(c))) return false;
  if (narrow.object && !covers(wide.object!, narrow.object)) return false;
  if (narrow.array && !coversShape(wide.array!, narrow.array)) return false;
  return true;
}

describe('inference over random content (fast-check)', () => {
  it('never rejects the data it was inferred from', () => {
    fc.assert(
      fc.property(contentArb, fc.constantFrom(1, 2, 3), (content, levels) => {
        const { lock } = inferSchema(content, { levels });
        expect(problems(content, lock)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('a later sync widens: the old data and the new data both still fit', () => {
    fc.assert(
      fc.property(contentArb, contentArb, (before, after) => {
        const first = inferSchema(before, { levels: 2 });
        const second = inferSchema(after, { levels: 2, previous: first.lock });
        expect(problems(after, second.lock)).toEqual([]);
        // Entities still synced keep accepting what they accepted before, except for fields
        // that are new in this sync (present on every entry now, hence required).
        expect(problems(before, second.lock).filter((p) => !p.includes(': missing '))).toEqual([]);
        for (const section of [
          'pageTypes',
          'singlePages',
          'collections',
          'components',
          'blog',
        ] as const) {
          for (const old of first.lock[section]) {
            const now = second.lock[section].find((e) => e.key === old.key);
            if (now) expect(covers(now.shape, old.shape), `${section} ${old.key}`).toBe(true);
          }
        }
        // The only breaking change possible is an entity the sync no longer has.
        for (const change of second.changes.filter((c) => c.breaking)) {
          expect(change).toMatchObject({ kind: 'removed', path: '' });
        }
      }),
      { numRuns: 150 },
    );
  });

  it('is deterministic: the same input gives the same lock', () => {
    fc.assert(
      fc.property(contentArb, (content) => {
        const a = inferSchema(content, { levels: 2 });
        const b = inferSchema(structuredClone(content), { levels: 2 });
        expect(serializeLock(a.lock)).toBe(serializeLock(b.lock));
        const again = inferSchema(content, { levels: 2, previous: a.lock });
        expect(again.changes).toEqual([]);
        expect(serializeLock(again.lock)).toBe(serializeLock(a.lock));
      }),
      { numRuns: 150 },
    );
  });

  it('emits byte-identical declarations that compile, with every sample satisfying its type', async () => {
    const samples = fc.sample(contentArb, { numRuns: 4, seed: 42 });
    for (const content of samples) {
      const { lock } = inferSchema(content, { levels: 2 });
      const source = await emitDeclarations(lock);
      expect(await emitDeclarations(structuredClone(lock))).toBe(source);
      const diagnostics = typecheck({
        'buttercms.d.ts': source,
        'probe.ts': probeSource(samplesOf(content, lock)),
      });
      expect(diagnostics).toEqual([]);
    }
  });
});
