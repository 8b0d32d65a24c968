import { describe, expect, it } from 'vitest';
import { emitDeclarations, inferSchema } from '../../src/core/codegen/index.ts';
import { probeSource, typecheck } from './compile.ts';
import { conformanceContent, samplesOf } from './helpers.ts';

describe('types of the real recordings (buttercms-python, buttercms-kotlin)', () => {
  const content = conformanceContent();

  for (const levels of [1, 2]) {
    it(`emits the golden declarations at levels=${levels}`, async () => {
      const { lock } = inferSchema(content, { levels });
      const source = await emitDeclarations(lock);
      await expect(source).toMatchFileSnapshot(`__golden__/conformance.levels${levels}.d.ts`);
      await expect(JSON.stringify(lock, null, 2)).toMatchFileSnapshot(
        `__golden__/conformance.levels${levels}.types-lock`,
      );
    });
  }

  it('compiles on its own under --strict, and every recorded sample satisfies its type', async () => {
    const { lock } = inferSchema(content, { levels: 2 });
    const declarations = await emitDeclarations(lock);
    const samples = samplesOf(content, lock);
    expect(samples.length).toBeGreaterThan(15);
    const diagnostics = typecheck({
      'buttercms.d.ts': declarations,
      'probe.ts': probeSource(samples),
    });
    expect(diagnostics).toEqual([]);
  });

  it('narrows component pickers on `type` and types the lookup maps', async () => {
    const { lock } = inferSchema(content, { levels: 2 });
    const declarations = await emitDeclarations(lock);
    const ok = `
import type { ButterBlogTypes, ButterCollections, ButterPageTypes, ButterSinglePages } from 'unplugin-buttercms';
declare const page: ButterPageTypes['landing-page'];
export const headlines: string[] = [];
for (const section of page.body) {
  if (section.type === 'hero') headlines.push(section.fields.headline, section.fields.button_url);
  else if (section.type === 'features') headlines.push(...section.fields.features.map((f) => f.icon));
  else if (section.type === 'testimonials') headlines.push(section.fields.testimonial[0]!.quote);
  else headlines.push(section.fields.image_position);
}
declare const single: ButterSinglePages['simple-page'];
declare const item: ButterCollections['navigation_menu_item'];
declare const post: ButterBlogTypes['post'];
export const more: (string | number)[] = [single.customer_logos[0]!.logo_image, item.meta.id, item.label, post.author.slug, post.published];
`;
    expect(typecheck({ 'buttercms.d.ts': declarations, 'ok.ts': ok })).toEqual([]);

    const bad = {
      misspelled: `declare const p: ButterPageTypes['landing-page']; export const x = p.seo.titel;`,
      wrongComponent: `declare const p: ButterPageTypes['landing-page']; const s = p.body[0]!;
        export const x = s.type === 'hero' ? s.fields.testimonial : null;`,
      wrongType: `export const x: ButterCollections['faq'] = { meta: { id: 1 }, question: 'q', answer: 42 };`,
      missingField: `export const x: ButterCollections['faq'] = { meta: { id: 1 }, question: 'q' };`,
      extraField: `export const x: ButterCollections['faq'] = { meta: { id: 1 }, question: 'q', answer: 'a', extra: 1 };`,
      unknownType: `declare const p: ButterPageTypes['no-such-type'];`,
    };
    const files: Record<string, string> = { 'buttercms.d.ts': declarations };
    for (const [name, body] of Object.entries(bad)) {
      files[`${name}.ts`] =
        `import type { ButterCollections, ButterPageTypes } from 'unplugin-buttercms';\n${body}\n`;
    }
    const diagnostics = typecheck(files);
    for (const name of Object.keys(bad)) {
      expect(diagnostics.filter((d) => d.startsWith(`${name}.ts(`)).length, name).toBeGreaterThan(
        0,
      );
    }
    expect(diagnostics.filter((d) => d.startsWith('buttercms.d.ts'))).toEqual([]);
  });

  it('is deterministic: the same content gives byte-identical output', async () => {
    const a = await emitDeclarations(inferSchema(conformanceContent(), { levels: 2 }).lock);
    const b = await emitDeclarations(inferSchema(conformanceContent(), { levels: 2 }).lock);
    expect(a).toBe(b);
  });
});
