/**
 * Collecting the media URLs a snapshot uses, pure: every string that is a URL on a media host
 * (media fields as strings or `{url, alt}`, `featured_image`, `profile_image`, embedded
 * authors, expanded references in the probes) and every URL inside HTML attributes of strings
 * that contain markup (WYSIWYG fields, post bodies). Each URL comes with where it is used.
 */

import type { Json, JsonObject, SnapshotContent } from '../snapshot/model.ts';
import { isMediaUrl, normalizeHosts } from './hosts.ts';
import { findHtmlUrls } from './html.ts';

/** Where a media URL is used. */
export interface MediaUse {
  /** The entity holding it, e.g. `page landing-page/home (fr)`, `post my-post`, `item faq/12`. */
  entity: string;
  /** JSON path inside the entity, e.g. `fields.hero.image.url`, `body`, `author.profile_image`. */
  field: string;
}

/** One entity of the snapshot with a human-readable label. */
export interface LabelledEntity {
  label: string;
  value: Json;
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
  return meta !== null && typeof meta === 'object' && !Array.isArray(meta) ? str(meta.id) : '?';
}

function inLocale(label: string, locale: string | null): string {
  return locale === null ? label : `${label} (${locale})`;
}

/** Every entity of the snapshot (probes included), labelled for messages. */
export function* entitiesOf(content: SnapshotContent): Generator<LabelledEntity> {
  for (const locale of content.locales) {
    for (const page of locale.singlePages) {
      yield { label: inLocale(`page */${str(page.slug)}`, locale.locale), value: page };
    }
    for (const [type, pages] of Object.entries(locale.pageTypes)) {
      for (const page of pages) {
        yield { label: inLocale(`page ${type}/${str(page.slug)}`, locale.locale), value: page };
      }
    }
    for (const [key, items] of Object.entries(locale.collections)) {
      for (const item of items) {
        yield { label: inLocale(`item ${key}/${idOf(item)}`, locale.locale), value: item };
      }
    }
  }
  const blog = content.blog;
  for (const post of blog.posts) yield { label: `post ${str(post.slug)}`, value: post };
  for (const author of blog.authors) yield { label: `author ${str(author.slug)}`, value: author };
  for (const c of blog.categories) yield { label: `category ${str(c.slug)}`, value: c };
  for (const tag of blog.tags) yield { label: `tag ${str(tag.slug)}`, value: tag };
  const probes = content.probes;
  for (const [name, probe] of Object.entries(probes)) {
    if (probe === undefined || probe === null) continue;
    if (name === 'embedded' && Array.isArray(probe)) {
      for (const one of probes.embedded) {
        const e = one.entity;
        const what = e.kind === 'page' ? `page ${e.pageType}/${e.slug}` : `item ${e.key}/${e.id}`;
        yield { label: inLocale(`probe ${what}`, one.locale), value: one.body };
      }
    } else if (name === 'postDetail' && probes.postDetail) {
      yield { label: `probe post ${probes.postDetail.slug}`, value: probes.postDetail.body };
    } else if (name === 'pageListDefault' && probes.pageListDefault) {
      const p = probes.pageListDefault;
      yield { label: `probe page list ${p.pageType}`, value: p.body };
    } else {
      // Probes added later are walked whole, so no media they hold is missed.
      yield { label: `probe ${name}`, value: probe as Json };
    }
  }
}

/**
 * Media URLs on `hosts` used anywhere in `content`, each with every place it is used, in
 * first-use order. Pure: reads `content`, never changes it.
 */
export function collectMediaUrls(
  content: SnapshotContent,
  hosts: readonly string[],
): Map<string, MediaUse[]> {
  const allowed = normalizeHosts(hosts);
  const uses = new Map<string, MediaUse[]>();
  const verdicts = new Map<string, boolean>();
  const allowedUrl = (url: string): boolean => {
    let verdict = verdicts.get(url);
    if (verdict === undefined) {
      verdict = isMediaUrl(url, allowed);
      verdicts.set(url, verdict);
    }
    return verdict;
  };
  const add = (url: string, entity: string, field: () => string): void => {
    if (!allowedUrl(url)) return;
    const list = uses.get(url);
    if (list === undefined) {
      uses.set(url, [{ entity, field: field() }]);
      return;
    }
    // Each string is visited once, so a use seen before is the last one (a URL twice in HTML).
    const last = list[list.length - 1]!;
    const path = field();
    if (last.entity !== entity || last.field !== path) list.push({ entity, field: path });
  };
  for (const { label, value } of entitiesOf(content)) {
    visitStrings(value, [], (text, path) => {
      let field: string | undefined;
      const fieldPath = () => (field ??= path.reduce<string>(pathJoin, ''));
      if (looksLikeUrl(text)) add(text, label, fieldPath);
      else if (text.includes('<')) {
        for (const found of findHtmlUrls(text)) add(found.url, label, fieldPath);
      }
    });
  }
  return uses;
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
 * only during the call: the visitor joins it when it needs it, which is rarely).
 */
function visitStrings(
  value: Json | undefined,
  path: (string | number)[],
  visit: (text: string, path: readonly (string | number)[]) => void,
): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      visitStrings(value[i], path, visit);
      path.pop();
    }
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      path.push(key);
      visitStrings(value[key], path, visit);
      path.pop();
    }
  }
}
