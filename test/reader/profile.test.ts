import { describe, expect, it } from 'vitest';
import type { EntityRef, JsonObject } from '../../src/core/model/content.ts';
import { learnApiProfile } from '../../src/core/model/profile.ts';
import { findEntity } from '../../src/core/snapshot/find.ts';
import { content, expectedDetail, posts } from './fixture.ts';

const snapshot = content();
const entity = (ref: EntityRef, locale: string | null) => findEntity(snapshot, ref, locale);

describe('learnApiProfile', () => {
  it('learns every open shape from the probes', () => {
    const profile = learnApiProfile(snapshot.probes, { posts: snapshot.blog.posts, entity });
    expect(profile.pageKeys).toEqual([
      'slug',
      'name',
      'published',
      'updated',
      'page_type',
      'fields',
    ]);
    expect(profile.itemDrop).toEqual([]);
    expect(profile.nextPost).toBe('newer');
    expect(profile.neighbourKeys).toEqual(['slug', 'title', 'featured_image']);
    expect(profile.detail.order).toEqual(Object.keys(expectedDetail(posts[1]!)));
    expect(profile.detail.constants).toEqual({ url: null, deleted: null });
    expect(profile.detail.nested.author).toEqual([
      'first_name',
      'last_name',
      'email',
      'slug',
      'bio',
    ]);
    expect(profile.pageListDefaultSize).toBe(2);
    expect(profile.pageListMetaKeys).toEqual(['next_page', 'previous_page', 'count']);
    expect(profile.fallbacks).toEqual(['recent_posts entries: the post detail shape (recordings)']);
    // The links repeater stayed objects without alt_media_text; hero and plain became URLs.
    expect(profile.notMedia).toEqual([
      { listing: { kind: 'page', pageType: 'landing-page' }, paths: [['fields', 'links', 0]] },
    ]);
  });

  it('keeps a path media when any probed entity served it as a URL', () => {
    const probes = structuredClone(snapshot.probes);
    const listed = (probes.media![0]!.body.data as JsonObject[])[0]!;
    (listed.fields as JsonObject).links = ['https://example.com/docs', { url: 'x' }];
    expect(learnApiProfile(probes, { posts: snapshot.blog.posts, entity }).notMedia).toEqual([]);
  });

  it('learns the other neighbour order and a minimal embedded page', () => {
    const probes = structuredClone(snapshot.probes);
    const meta = probes.postDetail!.body.meta as JsonObject;
    [meta.next_post, meta.previous_post] = [meta.previous_post!, meta.next_post!];
    const data = probes.embedded[0]!.body.data as JsonObject;
    const fields = data.fields as JsonObject;
    fields.related = [{ slug: 'beta', fields: {} }];
    fields.brand = { name: 'Acme', logo: { url: 'x' }, home: '/v2/pages/*/home/' };
    const profile = learnApiProfile(probes, { posts: snapshot.blog.posts, entity });
    expect(profile.nextPost).toBe('older');
    expect(profile.pageKeys).toEqual(['slug', 'fields']);
    expect(profile.itemDrop).toEqual(['meta']);
  });

  it('never takes a post missing from the listing from its other end', () => {
    const probes = structuredClone(snapshot.probes);
    const probed = (probes.postDetail!.body.data as JsonObject).slug;
    const next = ((probes.postDetail!.body.meta as JsonObject).next_post as JsonObject).slug;
    const listed = snapshot.blog.posts;
    const others = listed.filter((p) => p.slug !== probed && p.slug !== next);
    const bySlug = (slug: unknown) => listed.find((p) => p.slug === slug)!;
    // The probed post first (nothing newer), the post its `next_post` names last.
    const reordered = [bySlug(probed), ...others, bySlug(next)];
    expect(learnApiProfile(probes, { posts: reordered, entity }).nextPost).toBe('older');
    // The probed post not listed at all: learned as from no listing, not from the last post.
    const without = learnApiProfile(probes, { posts: [...others, bySlug(next)], entity });
    expect(without.detail).toEqual(learnApiProfile(probes, { posts: [], entity }).detail);
  });

  it('falls back to documented behaviour without probes, and says so', () => {
    const profile = learnApiProfile({ embedded: [] }, { posts: [], entity: () => undefined });
    expect(profile.pageKeys).toEqual(['slug', 'fields']);
    expect(profile.nextPost).toBe('newer');
    expect(profile.neighbourKeys).toEqual(['slug', 'title', 'featured_image']);
    expect(profile.detail).toEqual({ order: null, constants: {}, nested: {} });
    expect(profile.pageListDefaultSize).toBe(10);
    expect(profile.notMedia).toEqual([]);
    expect(profile.fallbacks.length).toBe(8);
  });
});
