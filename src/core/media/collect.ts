/**
 * Collecting the media URLs a snapshot uses, pure: every string that is a URL on a media host
 * (media fields as strings or `{url, alt}`, `featured_image`, `profile_image`, embedded
 * authors, expanded references in the probes) and every URL inside HTML attributes of strings
 * that contain markup (WYSIWYG fields, post bodies). Each URL comes with where it is used.
 */

import type { EntityList, Json, JsonObject, ListingRef, StagedContent } from '../model/content.ts';
import { isHeldList } from '../model/entity-list.ts';
import { isObject } from '../model/json.ts';
import { contentPathsByListing, isMediaObject, listingKey, pathKey } from '../model/media-paths.ts';
import { learnNotMedia, type ProfileContent } from '../model/profile.ts';
import { findEntity } from '../snapshot/find.ts';
import { isMediaUrl, normalizeHosts } from './hosts.ts';
import { findHtmlUrls, type HtmlUrl } from './html.ts';

/** Where a media URL is used. */
export interface MediaUse {
  /** The entity holding it, e.g. `page landing-page/home`, `single page about`, `post my-post`, `item faq/12`. */
  entity: string;
  /** Its locale (`null`: not localized, or the account's default without a `locale`). */
  locale: string | null;
  /** JSON path inside the entity, e.g. `fields.hero.image.url`, `body`, `author.profile_image`. */
  field: string;
  /** A copy in a probe answer (the reader's samples), not content the user edits. */
  probe: boolean;
}

/** One entity of the snapshot, labelled for messages. */
export interface LabelledEntity {
  label: string;
  locale: string | null;
  probe: boolean;
  /** The page listing or collection it belongs to (none for the blog and the probes). */
  listing: ListingRef | null;
  value: Json;
  /** The listing it was read from (none for the probes). */
  from: EntityList | null;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Appends a key to a JSON path: `a.b`, `a["odd key"]`, `a[3]`. */
export function pathJoin(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (IDENTIFIER.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

function str(value: Json | undefined): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '?';
}

function idOf(item: JsonObject): string {
  const meta = item.meta;
  return isObject(meta) ? str(meta.id) : '?';
}

/** Every entity of the snapshot (probes included), labelled for messages. */
export function* entitiesOf(content: StagedContent): Generator<LabelledEntity> {
  const of = (
    label: string,
    locale: string | null,
    value: Json,
    listing: ListingRef | null = null,
    probe = false,
  ): LabelledEntity => ({ label, locale, probe, listing, value, from: null });
  function* listed(
    from: EntityList,
    label: (entity: JsonObject) => string,
    locale: string | null,
    listing: ListingRef | null = null,
  ): Generator<LabelledEntity> {
    for (const value of from)
      yield { label: label(value), locale, probe: false, listing, value, from };
  }
  for (const locale of content.locales) {
    const at = locale.locale;
    const single: ListingRef = { kind: 'page', pageType: '*' };
    yield* listed(locale.singlePages, (page) => `single page ${str(page.slug)}`, at, single);
    for (const [pageType, pages] of Object.entries(locale.pageTypes)) {
      const listing: ListingRef = { kind: 'page', pageType };
      yield* listed(pages, (page) => `page ${pageType}/${str(page.slug)}`, at, listing);
    }
    for (const [key, items] of Object.entries(locale.collections)) {
      const listing: ListingRef = { kind: 'item', key };
      yield* listed(items, (item) => `item ${key}/${idOf(item)}`, at, listing);
    }
  }
  const blog = content.blog;
  yield* listed(blog.posts, (post) => `post ${str(post.slug)}`, null);
  yield* listed(blog.authors, (author) => `author ${str(author.slug)}`, null);
  yield* listed(blog.categories, (c) => `category ${str(c.slug)}`, null);
  yield* listed(blog.tags, (tag) => `tag ${str(tag.slug)}`, null);
  const probes = content.probes;
  for (const [name, probe] of Object.entries(probes)) {
    if (probe === undefined || probe === null) continue;
    if (name === 'embedded' && Array.isArray(probe)) {
      for (const one of probes.embedded) {
        const e = one.entity;
        const what = e.kind === 'page' ? `page ${e.pageType}/${e.slug}` : `item ${e.key}/${e.id}`;
        yield of(`probe ${what}`, one.locale, one.body, null, true);
      }
    } else if (name === 'postDetail' && probes.postDetail) {
      yield of(`probe post ${probes.postDetail.slug}`, null, probes.postDetail.body, null, true);
    } else if (name === 'pageListDefault' && probes.pageListDefault) {
      const p = probes.pageListDefault;
      yield of(`probe page list ${p.pageType}`, null, p.body, null, true);
    } else {
      // Probes added later are walked whole, so no media they hold is missed.
      yield of(`probe ${name}`, null, probe as Json, null, true);
    }
  }
}

/**
 * Media URLs on `hosts` used anywhere in `content`, each with every place it is used, in
 * first-use order (`only`: the places of these URLs alone, the others listed without any).
 * `remote`, when given, gets by host the media URLs on other hosts, which stay remote (see
 * `remoteTally`). Pure: reads `content`, never changes it.
 */
export function collectMediaUrls(
  content: StagedContent,
  hosts: readonly string[],
  remote?: Map<string, Set<string>>,
  only?: ReadonlySet<string>,
): Map<string, MediaUse[]> {
  const uses = new Map<string, MediaUse[]>();
  walkMediaUrls(content, hosts, remote, (url, where, field) => {
    let list = uses.get(url);
    if (list === undefined) {
      list = [];
      uses.set(url, list);
    }
    if (only && !only.has(url)) return;
    // Each string is visited once, so a use seen before is the last one (a URL twice in HTML).
    const last = list[list.length - 1];
    if (last?.entity === where.label && last.locale === where.locale && last.field === field()) {
      return;
    }
    list.push({ entity: where.label, locale: where.locale, field: field(), probe: where.probe });
  });
  return uses;
}

/**
 * The media URLs on `hosts` used in `content`, in first-use order, without where (what the
 * download needs), and what holds them (what the rewrite must visit): the entities (or probe
 * answers) held in memory, and the listings held elsewhere (spooled), which are read anew
 * rather than kept. On a large account the places are a hundred megabytes of heap held through
 * the whole download; they are looked up (`collectMediaUrls` with `only`) for the few URLs that
 * fail.
 */
export function mediaUrlsOf(
  content: StagedContent,
  hosts: readonly string[],
  remote?: Map<string, Set<string>>,
): { urls: Set<string>; holders: Set<object>; lists: Set<EntityList> } {
  const urls = new Set<string>();
  const holders = new Set<object>();
  const lists = new Set<EntityList>();
  walkMediaUrls(content, hosts, remote, (url, where) => {
    urls.add(url);
    if (where.from && isHeldList(where.from)) lists.add(where.from);
    // Entities and probe answers are objects (or lists): a string itself is never a holder.
    else if (typeof where.value === 'object' && where.value !== null) holders.add(where.value);
  });
  return { urls, holders, lists };
}

/** Calls `use` for every use of a media URL on `hosts` in `content` (see `collectMediaUrls`). */
function walkMediaUrls(
  content: StagedContent,
  hosts: readonly string[],
  remote: Map<string, Set<string>> | undefined,
  use: (url: string, where: LabelledEntity, field: () => string) => void,
): void {
  const allowed = normalizeHosts(hosts);
  const verdicts = new Map<string, boolean>();
  const allowedUrl = (url: string): boolean => {
    let verdict = verdicts.get(url);
    if (verdict === undefined) {
      verdict = isMediaUrl(url, allowed);
      verdicts.set(url, verdict);
    }
    return verdict;
  };
  const tally = remote && remoteTally(content, remote);
  for (const entity of entitiesOf(content)) {
    // Probes hold copies of entities: what is left remote is counted where they are stored.
    const count = tally && !entity.probe ? tally : undefined;
    visitStrings(entity.value, [], undefined, (text, path, parent) => {
      let field: string | undefined;
      const fieldPath = () => (field ??= path.reduce<string>(pathJoin, ''));
      if (looksLikeUrl(text)) {
        if (allowedUrl(text)) use(text, entity, fieldPath);
        else count?.value(text, entity, path, parent);
      } else if (text.includes('<')) {
        for (const found of findHtmlUrls(text)) {
          if (allowedUrl(found.url)) use(found.url, entity, fieldPath);
          else count?.html(found);
        }
      }
    });
  }
  tally?.finish();
}

/** Elements whose URL attributes load media (not `<a href>`, `<iframe src>` and the like). */
const MEDIA_ELEMENT = /^(?:img|source|video|audio|track|picture|image|embed|object)\[/;

/** Keys the blog's documented objects hold media URLs under. */
const MEDIA_KEYS = new Set(['featured_image', 'profile_image']);

/**
 * Counts, by host, the URLs on hosts outside `mediaHosts` that would be downloaded if their host
 * were added: media by where they stand — a media value (`{url, alt}` where the media probes saw
 * media, `featured_image`, `profile_image`), an `<img>`/`<source>`/`<video>`… attribute — and,
 * on those hosts, the links too (the downloader fetches every URL on a media host).
 */
function remoteTally(content: StagedContent, into: Map<string, Set<string>>) {
  // What the media probes showed to be content, not media (`{url}` rows of a link repeater).
  const notMedia = contentPathsOf(content);
  const links = new Map<string, Set<string>>();
  const seen = new Set<string>();
  const addTo = (map: Map<string, Set<string>>, url: string): void => {
    // Most URLs are used many times: parse each once per map.
    const key = map === into ? url : ` ${url}`;
    if (seen.has(key)) return;
    seen.add(key);
    const host = URL.parse(url)?.host;
    if (host === undefined) return;
    const urls = map.get(host) ?? new Set();
    map.set(host, urls.add(url));
  };
  const isMediaValue = (
    entity: LabelledEntity,
    path: readonly (string | number)[],
    parent: Json | undefined,
  ): boolean => {
    const key = path[path.length - 1];
    if (typeof key !== 'string') return false;
    if (MEDIA_KEYS.has(key)) return true;
    if (key !== 'url' || parent === undefined || !isMediaObject(parent)) return false;
    const paths = entity.listing && notMedia.get(listingKey(entity.listing));
    if (!paths || paths.size === 0) return true;
    return !paths.has(pathKey(path.slice(0, -1).map((k) => (typeof k === 'number' ? 0 : k))));
  };
  return {
    value(url: string, entity: LabelledEntity, path: readonly (string | number)[], parent?: Json) {
      if (!seen.has(url) && isMediaValue(entity, path, parent)) addTo(into, url);
    },
    html(found: HtmlUrl) {
      addTo(MEDIA_ELEMENT.test(found.where) ? into : links, found.url);
    },
    finish() {
      for (const [host, urls] of links) {
        const media = into.get(host);
        if (media) for (const url of urls) media.add(url);
      }
    },
  };
}

/** Per listing, where the media probes found `{url, alt}`-shaped content rather than media. */
function contentPathsOf(content: StagedContent) {
  const lookup: ProfileContent['entity'] = (ref, locale) => findEntity(content, ref, locale);
  return contentPathsByListing(learnNotMedia(content.probes, lookup).notMedia);
}

const WHOLE_URL = /^https?:\/\/[^\s<>"]+$/i;

/** A string that is, as a whole, an absolute http(s) URL (a media value). */
export function looksLikeUrl(text: string): boolean {
  // Most strings fail on their first letter, before the pattern runs.
  const first = text.charCodeAt(0);
  return (first === 104 || first === 72) && WHOLE_URL.test(text);
}

/**
 * Calls `visit` for every string value inside `value`, with its path (keys and indexes, valid
 * only during the call: the visitor joins it when it needs it, which is rarely) and the object
 * or array holding it.
 */
function visitStrings(
  value: Json | undefined,
  path: (string | number)[],
  parent: Json | undefined,
  visit: (text: string, path: readonly (string | number)[], parent: Json | undefined) => void,
): void {
  if (typeof value === 'string') visit(value, path, parent);
  else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      visitStrings(value[i], path, value, visit);
      path.pop();
    }
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      path.push(key);
      visitStrings(value[key], path, value, visit);
      path.pop();
    }
  }
}
