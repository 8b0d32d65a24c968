/**
 * Type tests (tsc over virtual files, `test/codegen/compile.ts`): once the generated
 * declarations are in the program, every surface that takes a page type, single page or
 * collection key rejects a misspelled literal — the local reader, `nextButter()`,
 * `virtual:buttercms` (client.d.ts) and the Astro loader — while a `string` known only at run
 * time still goes through; without declarations any string does.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { emitDeclarations } from '../../src/core/codegen/index.ts';
import { parseLock } from '../../src/core/codegen/lock.ts';
import { typecheck } from '../codegen/compile.ts';

const ROOT = join(import.meta.dirname, '../..');
/** The package's entries, resolved to the sources (as the published `exports` map them). */
const PATHS = {
  'unplugin-buttercms': [join(ROOT, 'src/index.ts')],
  'unplugin-buttercms/reader': [join(ROOT, 'src/reader.ts')],
  'unplugin-buttercms/next/reader': [join(ROOT, 'src/next-reader.ts')],
  'unplugin-buttercms/next/stamp': [join(ROOT, 'templates/next-stamp.d.ts')],
  'unplugin-buttercms/astro': [join(ROOT, 'src/astro.ts')],
};

/** Calls with the keys of `emitter-input.types-lock`, each surface once; `bad` marks misspellings. */
function probe(bad: string): string {
  return `
import { createLocalButter } from 'unplugin-buttercms';
import { createLocalButter as readerOnly } from 'unplugin-buttercms/reader';
import { nextButter } from 'unplugin-buttercms/next/reader';
import { buttercmsLoader } from 'unplugin-buttercms/astro';
import { butter as virtualButter, getCollection, getPages } from 'virtual:buttercms';

declare const routeParam: string;
const butter = createLocalButter('.buttercms');
const pageOnly = readerOnly('.buttercms');
const next = await nextButter()();

export const good = [
  await butter.page.retrieve('landing-page', 'home'),
  await butter.page.retrieve('*', 'simple-page'),
  await butter.page.retrieve('*', 'any-page-of-any-type'),
  await butter.page.list('homepage'),
  await butter.page.list('*'),
  await butter.content.retrieve(['faq', 'navigation_menu']),
  await butter.content.retrieve('navigation_menu_item'),
  await pageOnly.page.list('landing-page'),
  await next.content.retrieve(['faq']),
  await virtualButter.page.retrieve('homepage', 'home'),
  await getPages('landing-page'),
  await getCollection('faq'),
  buttercmsLoader({ pageType: 'landing-page' }),
  buttercmsLoader({ singlePage: 'simple-page' }),
  buttercmsLoader({ collection: 'navigation_menu' }),
  buttercmsLoader({ posts: true }),
];

// Known only at run time (a route parameter): never a type error.
export const dynamic = [
  await butter.page.retrieve(routeParam, routeParam),
  await butter.page.list(routeParam),
  await butter.content.retrieve([routeParam]),
  await getPages(routeParam),
  await getCollection(routeParam),
  buttercmsLoader({ pageType: routeParam }),
  buttercmsLoader({ collection: routeParam }),
];

export const misspelled = [
  ${bad}
  await butter.page.retrieve('landing-pgae', 'home'),
  ${bad}
  await butter.page.list('hompage'),
  ${bad}
  await butter.content.retrieve(['faq', 'navigation-menu']),
  ${bad}
  await butter.content.retrieve('fqa'),
  ${bad}
  await pageOnly.page.retrieve('landing_page', 'home'),
  ${bad}
  await next.page.list('landing-pages'),
  ${bad}
  await virtualButter.content.retrieve(['FAQ']),
  ${bad}
  await getPages('landingpage'),
  ${bad}
  await getCollection('navigation_menu_items'),
  ${bad}
  buttercmsLoader({ pageType: 'landing-pgae' }),
  ${bad}
  buttercmsLoader({ singlePage: 'simple_page' }),
  ${bad}
  buttercmsLoader({ collection: 'fqa' }),
];
`;
}

/** Fields are typed from the declarations: the synced keys narrow. */
const NARROWING = `
import type { FaqItem, LandingPageFields, SimplePageFields } from './buttercms';
import { createLocalButter } from 'unplugin-buttercms';
import { getCollection, getPages } from 'virtual:buttercms';
const butter = createLocalButter('.buttercms');
export const landing: LandingPageFields = (await butter.page.retrieve('landing-page', 'x')).data.data.fields;
export const single: SimplePageFields = (await butter.page.retrieve('*', 'simple-page')).data.data.fields;
export const faq: FaqItem[] = (await butter.content.retrieve(['faq'])).data.data.faq;
export const listed: LandingPageFields = (await getPages('landing-page'))[0]!.fields;
export const items: FaqItem[] = await getCollection('faq');
`;

/** TypeScript prints a union's members in the order it met them: sorted, to compare. */
const unionsSorted = (message: string) =>
  message.replace(/"[^"]*"(?: \| "[^"]*")*/g, (union) => union.split(' | ').sort().join(' | '));

const onlyProbes = (diagnostics: string[]) =>
  diagnostics.filter((d) => !d.startsWith('/') && !d.startsWith('buttercms.d.ts'));

describe('page type and collection keys', () => {
  let declarations: string;
  let client: string;
  beforeAll(async () => {
    const lock = parseLock(
      await readFile(join(ROOT, 'test/codegen/emitter-input.types-lock'), 'utf8'),
    )!;
    declarations = await emitDeclarations(lock);
    client = await readFile(join(ROOT, 'client.d.ts'), 'utf8');
  });

  it('with the generated declarations, a misspelled literal is a type error on every surface, naming the keys', () => {
    const diagnostics = typecheck(
      {
        'buttercms.d.ts': declarations,
        'client.d.ts': client,
        'probe.ts': probe('// @ts-expect-error: misspelled'),
        'narrowing.ts': NARROWING,
        'messages.ts': `
import { createLocalButter } from 'unplugin-buttercms';
const butter = createLocalButter('.buttercms');
await butter.page.list('landing-pgae');
await butter.content.retrieve('fqa');
export {};
`,
      },
      { paths: PATHS },
    );
    // An unused @ts-expect-error is an error too: each misspelling failed, and nothing else did.
    expect(onlyProbes(diagnostics).map(unionsSorted)).toEqual([
      `messages.ts(4): Argument of type '"landing-pgae"' is not assignable to parameter of type '"*" | "homepage" | "landing-page"'.`,
      `messages.ts(5): Argument of type '"fqa"' is not assignable to parameter of type '"faq" | "navigation_menu" | "navigation_menu_item" | readonly ("faq" | "navigation_menu" | "navigation_menu_item")[]'.`,
    ]);
  }, 60_000);

  it('without declarations (types off, before the first sync) any string is taken', () => {
    const diagnostics = typecheck(
      { 'client.d.ts': client, 'probe.ts': probe('') },
      { paths: PATHS },
    );
    expect(onlyProbes(diagnostics)).toEqual([]);
  }, 60_000);
});
