/** Pure parts of watch mode: webhook bodies, manifest diffs, ages. */
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/core/snapshot/index.ts';
import { describeAge } from '../../src/core/toolkit/format.ts';
import { changedFiles } from '../../src/core/watch/diff.ts';
import { mergeScopes, scopeOfWebhook } from '../../src/core/watch/scope.ts';
import { parseWebhook } from '../../src/core/watch/webhook.ts';
import { affectedIds } from '../../src/integrations/unplugin/dev.ts';

describe('parseWebhook', () => {
  it('reads the three documented bodies', () => {
    expect(
      parseWebhook({
        data: { id: 'example-page-slug', buttercms_id: 1234, page_type: 'news', locale: 'en' },
        webhook: { event: 'page.all', target: 'http://x' },
      }),
    ).toEqual({
      event: 'page.all',
      kind: 'page',
      id: 'example-page-slug',
      pageType: 'news',
      locale: 'en',
    });
    expect(
      parseWebhook({
        data: { id: 'your_collection', itemid: '/v2/content/?keys=your_collection[_id=1234]' },
        webhook: { event: 'collectionitem.delete' },
      }),
    ).toMatchObject({ kind: 'collectionitem', id: 'your_collection' });
    expect(
      parseWebhook({ data: { id: 'post-slug', _id: 1 }, webhook: { event: 'post.published' } }),
    ).toMatchObject({ kind: 'post', id: 'post-slug' });
  });

  it('rejects what is not a webhook body', () => {
    for (const body of [null, 'x', {}, { data: {} }, { webhook: { event: 'page.all' } }, []]) {
      expect(parseWebhook(body)).toBeUndefined();
    }
  });
});

describe('diffs', () => {
  const manifest = (hashes: Record<string, string>) => ({ hashes }) as unknown as Manifest;

  it('lists added, changed and removed snapshot files', () => {
    expect(
      changedFiles(manifest({ a: '1', b: '2', c: '3' }), manifest({ a: '1', b: '9', d: '4' })),
    ).toEqual(['b', 'c', 'd']);
    expect(changedFiles(undefined, manifest({ a: '1' }))).toEqual(['a']);
  });

  it('maps changed files to the virtual modules that serve them', () => {
    expect(affectedIds(['blog/posts/a.json', 'probes.json'])).toEqual([
      '\0virtual:buttercms',
      '\0virtual:buttercms/folder/blog/posts',
      '\0virtual:buttercms/entity/blog/posts/a',
      '\0virtual:buttercms/folder/_root',
      '\0virtual:buttercms/entity/probes',
    ]);
  });

  it('describes ages', () => {
    expect(describeAge(5_000)).toBe('5 s');
    expect(describeAge(5 * 60_000)).toBe('5 min');
    expect(describeAge(3 * 3_600_000)).toBe('3 h');
    expect(describeAge(3 * 86_400_000)).toBe('3 days');
  });
});

describe('refresh scopes', () => {
  it('maps webhook events to what they name', () => {
    const page = parseWebhook({
      data: { id: 'a', page_type: 'news' },
      webhook: { event: 'page.published' },
    })!;
    expect(scopeOfWebhook(page)).toEqual({ pageTypes: ['news'] });
    const single = parseWebhook({
      data: { id: 'home', page_type: null },
      webhook: { event: 'page.all' },
    })!;
    expect(scopeOfWebhook(single)).toEqual({ singlePages: true });
    const item = parseWebhook({
      data: { id: 'faq', itemid: '/v2/content/?keys=faq[_id=1]' },
      webhook: { event: 'collectionitem.delete' },
    })!;
    expect(scopeOfWebhook(item)).toEqual({ collections: ['faq'] });
    const post = parseWebhook({ data: { id: 'hello' }, webhook: { event: 'post.all' } })!;
    expect(scopeOfWebhook(post)).toEqual({ blog: true });
    const other = parseWebhook({ data: { id: 'x' }, webhook: { event: 'media.upload' } })!;
    expect(scopeOfWebhook(other)).toBeUndefined();
  });

  it('merges scopes; everything wins', () => {
    expect(mergeScopes({ pageTypes: ['a'] }, { pageTypes: ['a', 'b'], blog: true })).toEqual({
      pageTypes: ['a', 'b'],
      blog: true,
    });
    expect(mergeScopes({ blog: true }, undefined)).toBeUndefined();
  });
});
