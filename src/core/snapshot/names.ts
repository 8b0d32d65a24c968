/**
 * File names made from slugs, keys, ids and locales. One escaping function for all of them,
 * injective (two different inputs never share a name) and safe on every file system:
 *
 * - `[a-z0-9-]` and a non-leading `_` are kept; every other UTF-8 byte becomes `~xx` (lower-case
 *   hex), so `.`, `/`, `\`, NUL, upper case (case-insensitive file systems) and `~` itself can
 *   never appear raw. `..`, `a/b` and `/abs` therefore stay one name inside their folder.
 * - A lone surrogate (half a UTF-16 pair, which UTF-8 cannot encode: the encoder would make every
 *   one of them U+FFFD) becomes `~u` and its four hex digits.
 * - A leading `_` is escaped: names starting with `_` are ours (`_single`, `_default`).
 * - Windows device names (`con`, `nul`, `com1`, …) get their first letter escaped.
 * - The empty string is `~`.
 * - Names longer than 120 characters keep a prefix and end with a hash of the full name.
 */
// No Node built-ins here: the browser runtime of `virtual:buttercms` builds the same paths, so
// the hash is @noble/hashes' (synchronous, audited, runs anywhere) instead of node:crypto.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { EntityRef } from '../model/content.ts';
import { loneSurrogate } from '../model/unicode.ts';

const KEEP = /[a-z0-9_-]/;
const DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9]|conin\$|conout\$)$/;
const MAX = 120;

function escapeByte(byte: number): string {
  return `~${byte.toString(16).padStart(2, '0')}`;
}

/** A name `escapeName` keeps as it is (most slugs): checked without encoding it. */
const PLAIN = /^[a-z0-9-][a-z0-9_-]{0,119}$/;

/** Escapes the UTF-8 bytes of `text` (well-formed), the first one as the name's first. */
function escapeBytes(text: string, first: boolean): string {
  let out = '';
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    const char = String.fromCharCode(byte);
    const keep = byte < 0x80 && KEEP.test(char) && !(first && i === 0 && char === '_');
    out += keep ? char : escapeByte(byte);
  }
  return out;
}

/** Escapes one path segment (see the module comment). */
export function escapeName(name: string): string {
  if (PLAIN.test(name) && !DEVICE.test(name)) return name;
  if (name === '') return '~';
  let out = '';
  let from = 0;
  for (let lone = loneSurrogate(name, 0); lone !== -1; lone = loneSurrogate(name, from)) {
    out += escapeBytes(name.slice(from, lone), from === 0);
    out += `~u${name.charCodeAt(lone).toString(16)}`;
    from = lone + 1;
  }
  const wellFormed = from === 0;
  out += escapeBytes(name.slice(from), from === 0);
  if (DEVICE.test(out)) out = escapeByte(out.charCodeAt(0)) + out.slice(1);
  if (out.length > MAX) {
    // The escaped name when it holds lone surrogates: UTF-8 (what the hash reads) cannot.
    const digest = bytesToHex(sha256(utf8ToBytes(wellFormed ? name : out))).slice(0, 16);
    out = `${out.slice(0, MAX - 18)}~~${digest}`;
  }
  return out;
}

/** Inverse of `escapeName` for names that were not shortened. */
export function unescapeName(escaped: string): string {
  if (escaped === '~') return '';
  let out = '';
  let bytes: number[] = [];
  const flush = () => {
    out += new TextDecoder().decode(new Uint8Array(bytes));
    bytes = [];
  };
  for (let i = 0; i < escaped.length; i++) {
    if (escaped.startsWith('~u', i)) {
      flush();
      out += String.fromCharCode(Number.parseInt(escaped.slice(i + 2, i + 6), 16));
      i += 5;
    } else if (escaped[i] === '~') {
      bytes.push(Number.parseInt(escaped.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(escaped.charCodeAt(i));
    }
  }
  flush();
  return out;
}

/** Folder name of a locale: its escaped slug, or `_default` for the account's default. */
export function localeFolder(locale: string | null): string {
  return locale === null ? '_default' : escapeName(locale);
}

/** Folder of a locale's pages of one type (`'*'`: single pages) or of a collection's items. */
function pageFolder(locale: string | null, pageType: string): string {
  const type = pageType === '*' ? '_single' : escapeName(pageType);
  return `locales/${localeFolder(locale)}/pages/${type}`;
}

/** Folders of the blog's entities. */
export const blogFolders = {
  posts: 'blog/posts',
  authors: 'blog/authors',
  categories: 'blog/categories',
  tags: 'blog/tags',
} as const;

const itemFolder = (locale: string | null, key: string) =>
  `locales/${localeFolder(locale)}/collections/${escapeName(key)}`;

/**
 * Relative paths of every snapshot entry, as the reader asks for them. An entity's path is
 * logical: the entity is stored as one member of a chunk file of its folder (see `chunkFile`).
 */
export const paths = {
  manifest: 'manifest.json',
  probes: 'probes.json',
  localeIndex: (locale: string | null) => `locales/${localeFolder(locale)}/index.json`,
  pageFolder,
  itemFolder,
  singlePage: (locale: string | null, slug: string) =>
    `${pageFolder(locale, '*')}/${escapeName(slug)}.json`,
  page: (locale: string | null, pageType: string, slug: string) =>
    `${pageFolder(locale, pageType)}/${escapeName(slug)}.json`,
  item: (locale: string | null, key: string, id: number) =>
    `${itemFolder(locale, key)}/${escapeName(String(id))}.json`,
  blogIndex: 'blog/index.json',
  post: (slug: string) => `${blogFolders.posts}/${escapeName(slug)}.json`,
  author: (slug: string) => `${blogFolders.authors}/${escapeName(slug)}.json`,
  category: (slug: string) => `${blogFolders.categories}/${escapeName(slug)}.json`,
  tag: (slug: string) => `${blogFolders.tags}/${escapeName(slug)}.json`,
  /** The page or item a reference points to. */
  entity: (ref: EntityRef, locale: string | null) =>
    ref.kind === 'item'
      ? `${itemFolder(locale, ref.key)}/${escapeName(String(ref.id))}.json`
      : `${pageFolder(locale, ref.pageType)}/${escapeName(ref.slug)}.json`,
} as const;

/** `a/b/c.json` → `['a/b', 'c']`; a top-level path has the folder `''`. */
export function splitEntityPath(path: string): [folder: string, name: string] {
  const slash = path.lastIndexOf('/');
  return [slash === -1 ? '' : path.slice(0, slash), path.slice(slash + 1).replace(/\.json$/, '')];
}

/**
 * Entities per chunk file, at most on average: chunks stay small enough to parse in a few
 * milliseconds, few enough that a sync of 20k entities writes hundreds of files, not 20k.
 */
export const CHUNK_ENTITIES = 128;
/** Bytes per chunk file, at most on average (a folder of large posts gets more chunks). */
export const CHUNK_BYTES = 1024 * 1024;

/**
 * How many chunk files a folder of `count` entities (`bytes` in all) is split into: a power of
 * two, so that a folder that grows re-buckets its entities rarely.
 */
export function chunkCount(count: number, bytes: number): number {
  const needed = Math.max(1, Math.ceil(count / CHUNK_ENTITIES), Math.ceil(bytes / CHUNK_BYTES));
  return 2 ** Math.ceil(Math.log2(needed));
}

/**
 * The chunk (0 … `chunks` − 1) holding the entity stored under the escaped `name`: FNV-1a of the
 * name, so an entity stays in its chunk whatever else changes in the folder.
 */
export function chunkOf(name: string, chunks: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % chunks;
}

/** Path of chunk file `index` of `folder`. Entity names never start with `_`: no clash. */
export function chunkFile(folder: string, index: number): string {
  return `${folder}/_chunk-${index}.json`;
}

/** Folders the store owns; `extraFiles` may not write into them. */
export const RESERVED_TOP = new Set(['manifest.json', 'probes.json', 'locales', 'blog', 'media']);

/**
 * Checks a caller-supplied relative path (`extraFiles`): forward slashes, no empty, `.` or `..`
 * segment, no absolute path, no NUL or backslash, not inside a folder the store owns.
 */
export function isSafeExtraPath(path: string): boolean {
  if (path === '' || path.startsWith('/') || /[\0\\:]/.test(path)) return false;
  const segments = path.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return false;
  return !RESERVED_TOP.has(segments[0]!);
}
