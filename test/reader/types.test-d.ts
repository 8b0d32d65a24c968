import { describe, expectTypeOf, it } from 'vitest';
import { createLocalButter } from '../../src/index.ts';

interface TypeTestLandingFields {
  title: string;
  rank: number;
}
interface TypeTestFaqItem {
  meta: { id: number };
  question: string;
}
interface TypeTestTag {
  slug: string;
  name: string;
  typeTestMarker: true;
}

// What the generated `buttercms.d.ts` does (through the package name `unplugin-buttercms`),
// without `ButterDeclarations` (as emitted before keys were checked): keys stay any string.
// With it, a misspelled key is a type error (test/reader/keys.test.ts, in a program of its own:
// an augmentation here would apply to every file of the repository's program).
declare module '../../src/core/reader/schema.ts' {
  interface ButterPageTypes {
    'type-test-landing': TypeTestLandingFields;
  }
  interface ButterSinglePages {
    'type-test-home': { headline: string };
  }
  interface ButterCollections {
    'type-test-faq': TypeTestFaqItem;
  }
  interface ButterBlogTypes {
    tag: TypeTestTag;
  }
}

const butter = createLocalButter('.buttercms');

describe('reader types', () => {
  it('narrows augmented page types and single pages', async () => {
    const res = await butter.page.retrieve('type-test-landing', 'x');
    expectTypeOf(res.data.data.fields).toEqualTypeOf<TypeTestLandingFields>();
    expectTypeOf(res.data.data.page_type).toEqualTypeOf<'type-test-landing'>();
    expectTypeOf(res.status).toEqualTypeOf<200>();
    const list = await butter.page.list('type-test-landing', { page_size: 2 });
    expectTypeOf(list.data.data[0]!.fields.rank).toEqualTypeOf<number>();
    expectTypeOf(list.data.meta.count).toEqualTypeOf<number>();
    const home = await butter.page.retrieve('*', 'type-test-home');
    expectTypeOf(home.data.data.fields).toEqualTypeOf<{ headline: string }>();
  });

  it('keeps unknown page types loose', async () => {
    const res = await butter.page.retrieve('not-generated', 'x');
    expectTypeOf(res.data.data.fields).toEqualTypeOf<{ [key: string]: unknown }>();
    expectTypeOf(res.data.data.fields.anything).toEqualTypeOf<unknown>();
    expectTypeOf(res.data.data.slug).toEqualTypeOf<string>();
  });

  it('narrows collections and blog types', async () => {
    const res = await butter.content.retrieve(['type-test-faq', 'not-generated']);
    expectTypeOf(res.data.data['type-test-faq']).toEqualTypeOf<TypeTestFaqItem[]>();
    expectTypeOf(res.data.data['not-generated'][0]!.meta.id).toEqualTypeOf<number>();
    expectTypeOf(res.data.data['not-generated'][0]!.whatever).toEqualTypeOf<unknown>();
    const tag = await butter.tag.retrieve('x');
    expectTypeOf(tag.data.data.typeTestMarker).toEqualTypeOf<true>();
    const author = await butter.author.retrieve('x', { include: 'recent_posts' });
    expectTypeOf(author.data.data.slug).toEqualTypeOf<string>();
    expectTypeOf(author.data.data.first_name).toEqualTypeOf<unknown>();
    const post = await butter.post.retrieve('x');
    expectTypeOf(post.data.data.author).toEqualTypeOf<{ [key: string]: unknown }>();
    expectTypeOf(post.data.meta.next_post).toMatchTypeOf<{ slug: string } | null>();
  });
});
