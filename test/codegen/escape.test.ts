import { describe, expect, it } from 'vitest';
import { emitDeclarations, inferSchema } from '../../src/core/codegen/index.ts';
import { pascalCase } from '../../src/core/codegen/names.ts';
import type { JsonObject } from '../../src/core/model/content.ts';
import { probeSource, typecheck } from './compile.ts';
import { emptyContent, page, propertyNames, samplesOf } from './helpers.ts';

describe('names', () => {
  it('makes readable PascalCase from slugs and keys', () => {
    expect(pascalCase('landing-page')).toBe('LandingPage');
    expect(pascalCase('two_column_with_image')).toBe('TwoColumnWithImage');
    expect(pascalCase('navigation menu.item')).toBe('NavigationMenuItem');
    expect(pascalCase('café-crème')).toBe('CafeCreme');
    expect(pascalCase('404')).toBe('T404');
    expect(pascalCase('2col-layout')).toBe('T2ColLayout');
    expect(pascalCase('*/')).toBe('Unnamed');
    expect(pascalCase('__proto__')).toBe('Proto');
  });
});

describe('content cannot break the generated file', () => {
  // Parsed from JSON so that `__proto__` is an ordinary key, as it is in the snapshot.
  const hostile: JsonObject = JSON.parse(`{
    "*/": "closes a comment */ here",
    "a\\"b": 1,
    "it's": true,
    "__proto__": "proto",
    "constructor": "c",
    "with space": "s",
    "123": "digits",
    "[k: string]": "looks like an index signature",
    "line\\nbreak": "x",
    "back\`tick": "y",
    "@param": "z",
    "choice": "a */ b",
    "body": [{"type": "*/x", "fields": {"*/": "y", "__proto__": 1}}]
  }`);
  const content = emptyContent();
  content.locales[0]!.pageTypes = {
    'we*/ird': [page('one', 'we*/ird', hostile), page('two', 'we*/ird', hostile)],
    __proto__: [page('p', '__proto__', { x: 'y' })],
  };
  content.locales[0]!.collections = JSON.parse('{"__proto__": [{"meta": {"id": 1}, "k": "v"}]}');
  content.locales[0]!.singlePages = [page("it's */", null, { '*/': '*/' })];

  it('quotes keys that are not identifiers, keeps `__proto__` an ordinary key, and compiles', async () => {
    const { lock } = inferSchema(content, { levels: 2 });
    const source = await emitDeclarations(lock);
    const fields = lock.pageTypes.find((e) => e.key === 'we*/ird')!.shape.name!;
    // (Integer-like keys come first in any JS object, the parsed snapshot included.)
    expect(propertyNames(source, fields)).toEqual([
      '"123"',
      '"*/"',
      '"a\\"b"',
      '"it\'s"',
      '__proto__',
      'constructor',
      '"with space"',
      '"[k: string]"',
      '"line\\nbreak"',
      '"back`tick"',
      '"@param"',
      'choice',
      'body',
    ]);
    // The only comment terminators are the ones closing our own comments.
    for (const comment of source.match(/\/\*[\s\S]*?\*\//g) ?? []) {
      expect(comment.slice(2, -2)).not.toContain('*/');
    }
    const diagnostics = typecheck({
      'buttercms.d.ts': source,
      'probe.ts': probeSource(samplesOf(content, lock)),
      'maps.ts': `import type { ButterCollections, ButterPageTypes, ButterSinglePages } from 'unplugin-buttercms';
export type A = ButterPageTypes['we*/ird']['*/'];
export type B = ButterCollections['__proto__']['k'];
export type C = ButterSinglePages["it's */"];
declare const p: ButterPageTypes['we*/ird'];
export const s: string = p.body[0]!.type;`,
    });
    expect(diagnostics).toEqual([]);
  });

  it('takes keys that name Object.prototype methods, or hold lone surrogates, as data', async () => {
    // Each of these made json-schema-to-typescript throw ("schema.hasOwnProperty is not a
    // function", "URI malformed"): one field name an editor picks broke every sync with types.
    const keys = ['hasOwnProperty', 'toString', 'valueOf', 'isPrototypeOf', '$ref', 'k\ud800'];
    const fields = Object.fromEntries(keys.map((key, i) => [key, `v${i}`]));
    const risky = emptyContent();
    risky.locales[0]!.pageTypes = { t: [page('a', 't', fields), page('b', 't', fields)] };
    const { lock } = inferSchema(risky, { levels: 1 });
    const source = await emitDeclarations(lock);
    expect(propertyNames(source, lock.pageTypes[0]!.shape.name!)).toEqual([
      'hasOwnProperty',
      'toString',
      'valueOf',
      'isPrototypeOf',
      '$ref',
      '"k\\ud800"',
    ]);
    const probe = probeSource(samplesOf(risky, lock));
    expect(typecheck({ 'buttercms.d.ts': source, 'probe.ts': probe })).toEqual([]);
  });

  it('literal unions of hostile dropdown values stay string literals', async () => {
    const values = ['a */ b', 'it\'s "q"', 'a */ b', 'it\'s "q"', 'a */ b', 'it\'s "q"'];
    const hostileEnum = emptyContent();
    hostileEnum.locales[0]!.pageTypes = {
      t: values.map((choice, i) => page(`p${i}`, 't', { choice })),
    };
    const { lock } = inferSchema(hostileEnum, { levels: 1 });
    const source = await emitDeclarations(lock);
    expect(source).toContain('choice: ("a */ b" | "it\'s \\"q\\"" | (string & {}));');
    const probe = probeSource(samplesOf(hostileEnum, lock));
    expect(typecheck({ 'buttercms.d.ts': source, 'probe.ts': probe })).toEqual([]);
  });
});
