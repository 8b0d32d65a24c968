import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeButter, startFakeButter } from '../../fixtures/server/index.ts';
import { emitDeclarations, inferSchema } from '../../src/core/codegen/index.ts';
import type { TypesLock } from '../../src/core/codegen/model.ts';
import type { Json, SnapshotContent } from '../../src/core/model/content.ts';
import { createLocalButter } from '../../src/core/reader/index.ts';
import { readSnapshot } from '../../src/core/snapshot/index.ts';
import { sync } from '../../src/core/sync/index.ts';
import { probeSource, typecheck } from './compile.ts';
import { samplesOf } from './helpers.ts';

/** The fake's `small` account synced like a user would, then read back from disk. */
async function syncedSnapshot(
  fake: FakeButter,
  out: string,
  extra: { levels: 1 | 2 | 3; locales: string[] },
): Promise<SnapshotContent> {
  const account = fake.account;
  await sync({
    token: fake.token,
    apiUrl: fake.apiUrl,
    out,
    ...extra,
    pageTypes: [...new Set(account.pages.flatMap((p) => (p.pageType ? [p.pageType] : [])))],
    collections: Object.keys(account.collections),
    media: false,
    types: false,
  });
  return (await readSnapshot(out)).content;
}

const name = (entities: TypesLock['pageTypes'], key: string) =>
  entities.find((e) => e.key === key)!.shape.name!;

describe('types of the fake accounts, synced and read back', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'codegen-fake-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('small (en, fr; full embedded pages)', () => {
    let fake: FakeButter;
    let content: SnapshotContent;
    const out = () => join(dir, 'small');
    beforeAll(async () => {
      fake = await startFakeButter({ account: 'small', mediaOrigin: 'original' });
      content = await syncedSnapshot(fake, out(), { levels: 2, locales: ['en', 'fr'] });
    });
    afterAll(async () => {
      await fake?.close();
    });

    it('emits the golden declarations', async () => {
      const { lock } = inferSchema(content, { levels: 2 });
      await expect(await emitDeclarations(lock)).toMatchFileSnapshot(
        '__golden__/small.levels2.d.ts',
      );
    });

    it('what the reader returns at levels 1 and 2 satisfies the generated types', async () => {
      const { lock } = inferSchema(content, { levels: 2 });
      const samples: { type: string; value: unknown }[] = samplesOf(content, lock);
      const butter = createLocalButter(out());
      for (const locale of ['en', 'fr']) {
        for (const [pageType, pages] of Object.entries(content.locales[0]!.pageTypes)) {
          for (const page of pages) {
            const { data } = await butter.page.retrieve(pageType, page.slug as string, {
              levels: 2,
              locale,
            });
            samples.push({ type: name(lock.pageTypes, pageType), value: data.data.fields });
          }
        }
        for (const key of Object.keys(content.locales[0]!.collections)) {
          const { data } = await butter.content.retrieve([key], { levels: 2, locale });
          for (const item of data.data[key] as Json[]) {
            samples.push({ type: name(lock.collections, key), value: item });
          }
        }
      }
      const posts = await butter.post.list({ page_size: 100 });
      for (const post of posts.data.data) samples.push({ type: 'BlogPost', value: post });
      const declarations = await emitDeclarations(lock);
      expect(
        typecheck({ 'buttercms.d.ts': declarations, 'probe.ts': probeSource(samples) }),
      ).toEqual([]);
    });

    it("types the package's own reader through the augmentation", async () => {
      const { lock } = inferSchema(content, { levels: 2 });
      const declarations = await emitDeclarations(lock);
      const pageType = lock.pageTypes.find((e) =>
        e.shape.props.some((p) => p.shape.array?.component),
      )!;
      const picker = pageType.shape.props.find((p) => p.shape.array?.component)!;
      const component = picker.shape.array!.component![0]!;
      const field = lock.components.find((c) => c.key === component)!.shape.props[0]!.key;
      const probe = `
import { createLocalButter } from 'unplugin-buttercms';
const butter = createLocalButter('.buttercms');
const { data } = await butter.page.retrieve(${JSON.stringify(pageType.key)}, 'any');
export const values: unknown[] = [];
for (const section of data.data.fields[${JSON.stringify(picker.key)}]) {
  if (section.type === ${JSON.stringify(component)}) values.push(section.fields[${JSON.stringify(field)}]);
}
// @ts-expect-error: not a field of the page type
values.push(data.data.fields.no_such_field);
`;
      const diagnostics = typecheck(
        { 'buttercms.d.ts': declarations, 'probe.ts': probe },
        { paths: { 'unplugin-buttercms': [join(import.meta.dirname, '../../src/index.ts')] } },
      );
      expect(
        diagnostics.filter((d) => d.startsWith('probe.ts') || d.startsWith('buttercms')),
      ).toEqual([]);
    });
  });

  describe('plain (no locales; minimal embedded pages, URIs without trailing slash)', () => {
    let fake: FakeButter;
    beforeAll(async () => {
      fake = await startFakeButter({ account: 'plain', mediaOrigin: 'original' });
    });
    afterAll(async () => {
      await fake?.close();
    });

    it('emits the golden declarations at levels 1 and 3', async () => {
      for (const levels of [1, 3] as const) {
        const content = await syncedSnapshot(fake, join(dir, `plain${levels}`), {
          levels,
          locales: [],
        });
        const { lock } = inferSchema(content, { levels });
        const source = await emitDeclarations(lock);
        await expect(source).toMatchFileSnapshot(`__golden__/plain.levels${levels}.d.ts`);
        const samples = samplesOf(content, lock);
        expect(typecheck({ 'buttercms.d.ts': source, 'probe.ts': probeSource(samples) })).toEqual(
          [],
        );
      }
    });
  });

  describe('a generated account (every page type and collection of the generator, en + fr)', () => {
    let fake: FakeButter;
    const spec =
      'generated:pages=60,posts=20,items=60,seed=3,locales=en+fr,pageTypes=7,collections=7';
    beforeAll(async () => {
      fake = await startFakeButter({ account: spec, mediaOrigin: 'original' });
    });
    afterAll(async () => {
      await fake?.close();
    });

    it('emits the golden declarations; stored samples and reader output at levels 3 satisfy them', async () => {
      const out = join(dir, 'generated');
      const content = await syncedSnapshot(fake, out, { levels: 3, locales: ['en', 'fr'] });
      const { lock } = inferSchema(content, { levels: 3 });
      const source = await emitDeclarations(lock);
      await expect(source).toMatchFileSnapshot('__golden__/generated.levels3.d.ts');
      const samples: { type: string; value: unknown }[] = samplesOf(content, lock);
      const butter = createLocalButter(out);
      for (const [pageType, pages] of Object.entries(content.locales[1]!.pageTypes)) {
        for (const page of pages.slice(0, 5)) {
          const { data } = await butter.page.retrieve(pageType, page.slug as string, {
            levels: 3,
            locale: 'fr',
          });
          samples.push({ type: name(lock.pageTypes, pageType), value: data.data.fields });
        }
      }
      for (const key of Object.keys(content.locales[0]!.collections)) {
        const { data } = await butter.content.retrieve([key], { levels: 3, locale: 'en' });
        for (const item of (data.data[key] as Json[]).slice(0, 5)) {
          samples.push({ type: name(lock.collections, key), value: item });
        }
      }
      expect(typecheck({ 'buttercms.d.ts': source, 'probe.ts': probeSource(samples) })).toEqual([]);
    });
  });
});
