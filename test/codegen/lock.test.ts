import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertNoBreakingChanges,
  describeTypeChanges,
  emitDeclarations,
  formatTypeChanges,
  generateTypes,
  inferSchema,
  parseLock,
  readTypesLock,
  serializeLock,
  TYPES_LOCK_FILE,
} from '../../src/core/codegen/index.ts';
import type { TypesLock } from '../../src/core/codegen/model.ts';
import { ButterError } from '../../src/core/errors.ts';
import type { JsonObject } from '../../src/core/model/content.ts';
import { writeIfChanged } from '../../src/core/toolkit/write-if-changed.ts';
import { conformanceContent, pagesContent, propertyType } from './helpers.ts';

const json = (text: string): JsonObject[] => JSON.parse(text);

describe('types.lock.json: later syncs widen, never silently narrow', () => {
  const first = pagesContent({
    t: json('[{"title": "a", "count": 1, "gone": "x"}, {"title": "b", "count": 2, "gone": "y"}]'),
    old: json('[{"x": 1}]'),
  });
  const { lock: lock1 } = inferSchema(first, { levels: 2 });

  it('is idempotent: the same content against its own lock changes nothing', () => {
    const again = inferSchema(first, { levels: 2, previous: lock1 });
    expect(again.changes).toEqual([]);
    expect(serializeLock(again.lock)).toBe(serializeLock(lock1));
  });

  it('keeps a field that is empty on every entry today (optional) and reports the changes', async () => {
    const second = pagesContent({
      t: json('[{"title": "a", "count": 1.5, "added": true}, {"title": null, "count": 2}]'),
      old: json('[{"x": 1}]'),
    });
    const { lock, changes } = inferSchema(second, { levels: 2, previous: lock1 });
    const source = await emitDeclarations(lock);
    expect(propertyType(source, 'TFields', 'gone')).toBe('?string');
    expect(propertyType(source, 'TFields', 'title')).toBe('(string | null)');
    expect(propertyType(source, 'TFields', 'added')).toBe('?boolean');
    expect(changes.every((c) => !c.breaking)).toBe(true);
    expect(formatTypeChanges(changes)).toEqual([
      '~ page type t: title widened (string → string | null)',
      '~ page type t: count widened (integer → number)',
      '~ page type t: gone widened (now optional)',
      '+ page type t: added added (optional boolean)',
    ]);
    // …and a third sync without the field keeps it still.
    const third = inferSchema(
      pagesContent({ t: json('[{"title": "c", "count": 3}]'), old: json('[{"x": 1}]') }),
      {
        levels: 2,
        previous: lock,
      },
    );
    expect(third.lock.pageTypes.find((e) => e.key === 't')!.shape.props.map((p) => p.key)).toEqual([
      'title',
      'count',
      'gone',
      'added',
    ]);
  });

  it('reports removed entities and cut reference depth as breaking', () => {
    const refs = pagesContent({ t: json('[{"next": "/v2/pages/t/x/"}]') });
    const { lock } = inferSchema(refs, { levels: 2 });
    const removed = inferSchema(pagesContent({ u: json('[{"a": 1}]') }), {
      levels: 2,
      previous: lock,
    });
    expect(formatTypeChanges(removed.changes)).toEqual([
      '+ page type u added (UFields (1 sample))',
      '- page type t removed (TFields is no longer in the snapshot) [breaking]',
    ]);
    const cut = inferSchema(refs, { levels: 1, previous: lock });
    expect(cut.changes).toMatchObject([
      { kind: 'narrowed', breaking: true, entity: 'page type t', path: 'next' },
    ]);
    expect(describeTypeChanges(removed.changes)).toBe('types: 1 added · 1 removed (1 breaking)');
    expect(describeTypeChanges([])).toBe('types: unchanged');
    expect(() => assertNoBreakingChanges(cut.changes, '.buttercms')).toThrowError(
      /breaks code[\s\S]*! page type t: next narrowed \(reference page t → reference URI page t\) \[breaking\]/,
    );
    expect(() => assertNoBreakingChanges(removed.changes.filter((c) => !c.breaking))).not.toThrow();
  });

  it('keeps the names it handed out, even when a new entity would now take them', () => {
    const a = inferSchema(pagesContent({ 'landing-page': json('[{"a": 1}]') }), { levels: 1 });
    const content = pagesContent({
      'landing-page': json('[{"a": 1}]'),
      landing_page: json('[{"b": 1}]'),
    });
    const fresh = inferSchema(content, { levels: 1 }).lock;
    const kept = inferSchema(content, { levels: 1, previous: a.lock }).lock;
    const names = (lock: typeof fresh) => lock.pageTypes.map((e) => `${e.key}=${e.shape.name}`);
    expect(names(fresh)).toEqual([
      'landing-page=LandingPageFields',
      'landing_page=LandingPageFields2',
    ]);
    expect(names(kept)).toEqual([
      'landing-page=LandingPageFields',
      'landing_page=LandingPageFields2',
    ]);
    const b = inferSchema(pagesContent({ landing_page: json('[{"b": 1}]') }), { levels: 1 });
    const keptB = inferSchema(content, { levels: 1, previous: b.lock }).lock;
    expect(names(keptB)).toEqual([
      'landing-page=LandingPageFields2',
      'landing_page=LandingPageFields',
    ]);
  });

  it('rejects a lock it cannot read (it is rebuilt from the content)', () => {
    expect(parseLock('not json')).toBeUndefined();
    expect(parseLock('{"version": 99}')).toBeUndefined();
    expect(parseLock(JSON.stringify({ ...lock1, pageTypes: [{ key: 1 }] }))).toBeUndefined();
    expect(parseLock(serializeLock(lock1))).toEqual(lock1);
  });
});

describe('types.lock.json: only closed vocabularies are dropdown candidates', () => {
  /** The lock's `values` for field `key` of page type `t`. */
  const valuesOf = (lock: TypesLock, key: string) =>
    lock.pageTypes[0]!.shape.props.find((p) => p.key === key)!.shape.string!.values;
  const pages = (rows: { [key: string]: string }[]) => pagesContent({ t: rows });
  const sizes = ['S', 'M', 'L', 'M', 'S', 'L', 'M', 'S', 'L'];

  it('records a few short values repeated across many entities, not free text', () => {
    const { lock } = inferSchema(
      pages(sizes.map((size, i) => ({ size, tagline: `Tagline ${i}`, note: size }))),
      { levels: 2 },
    );
    expect(valuesOf(lock, 'size')).toEqual(['L', 'M', 'S']);
    expect(valuesOf(lock, 'tagline')).toBeNull();
    // Evidence is per field: the same values under a key that names things are not choices.
    const named = inferSchema(pages(sizes.map((title) => ({ title }))), { levels: 2 }).lock;
    expect(valuesOf(named, 'title')).toBeNull();
    // Prose is never a choice, however often it repeats.
    const prose = ['Read this first.', 'Then this one.'];
    const sentences = inferSchema(pages(sizes.map((_, i) => ({ intro: prose[i % 2]! }))), {
      levels: 2,
    }).lock;
    expect(valuesOf(sentences, 'intro')).toBeNull();
    // Nothing of the free text is kept: no values, no count.
    expect(serializeLock(lock)).not.toContain('Tagline');
    expect(serializeLock(lock)).not.toContain('"count"');
  });

  it('keeps a known vocabulary (growing it) on thin evidence; a value no dropdown has ends it', () => {
    const { lock } = inferSchema(pages(sizes.map((size) => ({ size }))), { levels: 2 });
    const thin = inferSchema(pages([{ size: 'XL' }]), { levels: 2, previous: lock }).lock;
    expect(valuesOf(thin, 'size')).toEqual(['L', 'M', 'S', 'XL']);
    const prose = inferSchema(pages([{ size: 'Whatever the customer wants.' }]), {
      levels: 2,
      previous: thin,
    }).lock;
    expect(valuesOf(prose, 'size')).toBeNull();
  });

  it('judges the values of a lock written before again (they were recorded for free text)', () => {
    const { lock } = inferSchema(pages([{ tagline: 'Old' }, { tagline: 'Older' }]), {
      levels: 2,
    });
    const old = structuredClone(lock);
    old.pageTypes[0]!.shape.props[0]!.shape.string = {
      kinds: ['text'],
      empty: false,
      values: ['Old', 'Older'],
      count: 2,
    };
    const next = inferSchema(pages([{ tagline: 'New' }, { tagline: 'Newer' }]), {
      levels: 2,
      previous: parseLock(serializeLock(old)),
    });
    expect(valuesOf(next.lock, 'tagline')).toBeNull();
  });
});

describe('generateTypes and writeIfChanged', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'codegen-lock-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the declarations and the lock, and rewrites nothing when nothing changed', async () => {
    const out = join(dir, '.buttercms');
    const types = join(dir, 'buttercms.d.ts');
    const first = await generateTypes(conformanceContent(), { levels: 2, out, types });
    expect(first.changed).toBe(true);
    expect(first.file).toBe(types);
    expect(await readTypesLock(out)).toEqual(first.lock);
    const before = await stat(types);
    const lockBefore = await stat(join(out, TYPES_LOCK_FILE));
    const second = await generateTypes(conformanceContent(), {
      levels: 2,
      out,
      types,
      strict: true,
    });
    expect(second).toMatchObject({ changed: false, changes: [] });
    expect((await stat(types)).mtimeMs).toBe(before.mtimeMs);
    expect((await stat(join(out, TYPES_LOCK_FILE))).mtimeMs).toBe(lockBefore.mtimeMs);
  });

  it('with strict, fails on a breaking change and writes nothing', async () => {
    const out = join(dir, 'strict');
    const types = join(dir, 'strict.d.ts');
    await generateTypes(pagesContent({ a: json('[{"x": 1}]'), b: json('[{"y": 1}]') }), {
      levels: 1,
      out,
      types,
    });
    const source = await readFile(types, 'utf8');
    const lock = await readFile(join(out, TYPES_LOCK_FILE), 'utf8');
    const error = await generateTypes(pagesContent({ a: json('[{"x": 1}]') }), {
      levels: 1,
      out,
      types,
      strict: true,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ButterError);
    expect((error as ButterError).code).toBe('TYPES');
    expect((error as Error).message).toContain('- page type b removed');
    expect(await readFile(types, 'utf8')).toBe(source);
    expect(await readFile(join(out, TYPES_LOCK_FILE), 'utf8')).toBe(lock);
    // Without strict the change is reported and written.
    const result = await generateTypes(pagesContent({ a: json('[{"x": 1}]') }), {
      levels: 1,
      out,
      types,
    });
    expect(result.changed).toBe(true);
    expect(result.changes.filter((c) => c.breaking)).toHaveLength(1);
  });

  it('writeIfChanged writes only when the bytes differ (atomically, creating folders)', async () => {
    const file = join(dir, 'nested', 'deeper', 'x.d.ts');
    expect(await writeIfChanged(file, 'a\n')).toBe(true);
    expect(await writeIfChanged(file, 'a\n')).toBe(false);
    expect(await writeIfChanged(file, 'b\n')).toBe(true);
    expect(await readFile(file, 'utf8')).toBe('b\n');
    await writeFile(join(dir, 'nested', 'deeper', 'x.d.ts'), 'edited by hand\n');
    expect(await writeIfChanged(file, 'b\n')).toBe(true);
  });
});
