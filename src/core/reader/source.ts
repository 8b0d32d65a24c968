/**
 * Lazy access to a snapshot for the reader: nothing is parsed on creation; index files,
 * listings (per kind and locale) and single entities are read on first use and cached, so a
 * build calling the reader thousands of times reads each file once.
 */
import { ButterError } from '../errors.ts';
import type { BlogIndex, LocaleIndex } from '../snapshot/layout.ts';
import type { Manifest } from '../snapshot/manifest.ts';
import type { EntityRef, JsonObject, ProfileProbes } from '../snapshot/model.ts';
import { paths } from '../snapshot/names.ts';
import { openSnapshot, type SnapshotFiles } from '../snapshot/read.ts';
import { type ApiProfile, PROFILE_FILE } from './profile.ts';

type BlogKind = 'posts' | 'authors' | 'categories' | 'tags';

export interface Source {
  manifest(): Promise<Manifest>;
  probes(): Promise<ProfileProbes>;
  /** The profile the sync learned (`profile.json`), or `undefined` in older snapshots. */
  profile(): Promise<ApiProfile | undefined>;
  localeIndex(locale: string | null): Promise<LocaleIndex>;
  blogIndex(): Promise<BlogIndex>;
  /** Every page of a type (`'*'`: single pages), in listing order; `undefined`: type not synced. */
  pages(locale: string | null, pageType: string): Promise<JsonObject[] | undefined>;
  /** Every item of a collection; `undefined`: collection not synced. */
  items(locale: string | null, key: string): Promise<JsonObject[] | undefined>;
  /** One entity, read alone (and cached). */
  entity(ref: EntityRef, locale: string | null): Promise<JsonObject | undefined>;
  /** One entity if it was already read, without I/O. */
  cached(ref: EntityRef, locale: string | null): JsonObject | undefined;
  blog(kind: BlogKind): Promise<JsonObject[]>;
  blogEntity(kind: BlogKind, slug: string): Promise<JsonObject | undefined>;
}

const BLOG_PATH = {
  posts: paths.post,
  authors: paths.author,
  categories: paths.category,
  tags: paths.tag,
};

export function createSource(dir: string): Source {
  let opened: Promise<SnapshotFiles> | undefined;
  const files = () => {
    opened ??= openSnapshot(dir).catch((error) => {
      opened = undefined;
      throw error;
    });
    return opened;
  };
  const values = new Map<string, unknown>();
  const pending = new Map<string, Promise<unknown>>();
  const read = (path: string): Promise<unknown> => {
    if (values.has(path)) return Promise.resolve(values.get(path));
    let promise = pending.get(path);
    if (!promise) {
      promise = files()
        .then((f) => f.readJson(path))
        .then((value) => {
          values.set(path, value);
          pending.delete(path);
          return value;
        });
      pending.set(path, promise);
    }
    return promise;
  };
  const required = async <T>(path: string): Promise<T> => {
    const value = await read(path);
    if (value === undefined) {
      throw new ButterError(`${path} is missing from the snapshot in ${dir}`, {
        code: 'SNAPSHOT',
        hint: 'Run `butter-sync` again to rewrite the snapshot.',
      });
    }
    return value as T;
  };

  const localeIndex = (locale: string | null) => required<LocaleIndex>(paths.localeIndex(locale));
  const blogIndex = () => required<BlogIndex>(paths.blogIndex);

  const membership = new Map<string, Set<string>>();
  const member = (key: string, list: readonly (string | number)[], id: string | number) => {
    let set = membership.get(key);
    if (!set) {
      set = new Set(list.map(String));
      membership.set(key, set);
    }
    return set.has(String(id));
  };

  const pathOf = async (ref: EntityRef, locale: string | null): Promise<string | undefined> => {
    const index = await localeIndex(locale);
    if (ref.kind === 'item') {
      const ids = Object.hasOwn(index.collections, ref.key)
        ? index.collections[ref.key]
        : undefined;
      if (!ids || !member(`i:${locale}:${ref.key}`, ids, ref.id)) return undefined;
      return paths.item(locale, ref.key, ref.id);
    }
    if (ref.pageType === '*') {
      if (!member(`s:${locale}`, index.singlePages, ref.slug)) return undefined;
      return paths.singlePage(locale, ref.slug);
    }
    const slugs = Object.hasOwn(index.pageTypes, ref.pageType)
      ? index.pageTypes[ref.pageType]
      : undefined;
    if (!slugs || !member(`p:${locale}:${ref.pageType}`, slugs, ref.slug)) return undefined;
    return paths.page(locale, ref.pageType, ref.slug);
  };

  return {
    manifest: async () => (await files()).manifest,
    probes: () => required<ProfileProbes>(paths.probes),
    // Not looked up in the manifest: bundles serve it without `hashes`. Absent: `undefined`.
    profile: async () => (await read(PROFILE_FILE)) as ApiProfile | undefined,
    localeIndex,
    blogIndex,
    async pages(locale, pageType) {
      const index = await localeIndex(locale);
      const slugs =
        pageType === '*'
          ? index.singlePages
          : Object.hasOwn(index.pageTypes, pageType)
            ? index.pageTypes[pageType]
            : undefined;
      if (!slugs) return undefined;
      return Promise.all(
        slugs.map((slug) =>
          required<JsonObject>(paths.entity({ kind: 'page', pageType, slug }, locale)),
        ),
      );
    },
    async items(locale, key) {
      const index = await localeIndex(locale);
      const ids = Object.hasOwn(index.collections, key) ? index.collections[key] : undefined;
      if (!ids) return undefined;
      return Promise.all(ids.map((id) => required<JsonObject>(paths.item(locale, key, id))));
    },
    async entity(ref, locale) {
      const path = await pathOf(ref, locale);
      // Listed in the index: a missing file is a damaged snapshot, not an unknown entity.
      return path === undefined ? undefined : required<JsonObject>(path);
    },
    cached(ref, locale) {
      return values.get(paths.entity(ref, locale)) as JsonObject | undefined;
    },
    async blog(kind) {
      const index = await blogIndex();
      return Promise.all(index[kind].map((slug) => required<JsonObject>(BLOG_PATH[kind](slug))));
    },
    async blogEntity(kind, slug) {
      const index = await blogIndex();
      if (!member(`b:${kind}`, index[kind], slug)) return undefined;
      return required<JsonObject>(BLOG_PATH[kind](slug));
    },
  };
}
