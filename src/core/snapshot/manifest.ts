/**
 * `manifest.json`: what a snapshot holds and where it came from. No Node built-ins: the
 * runtime of `virtual:buttercms` checks manifests too. Everything volatile (the sync
 * time) lives here only, so entity files stay byte-identical across syncs of the same account.
 */

import type { StagedContent } from '../model/content.ts';

export const FORMAT_VERSION = 2;

export interface ManifestCounts {
  locales: number;
  /** Summed over locales. */
  singlePages: number;
  pages: number;
  items: number;
  pageTypes: number;
  collections: number;
  posts: number;
  authors: number;
  categories: number;
  tags: number;
  /** Files on disk (chunk files and plain files; the manifest itself excluded). */
  files: number;
}

export interface Manifest {
  /** 2: entities stored in chunk files (1: one file per entity, no longer read). */
  formatVersion: 2;
  /** API URL the content came from, never with the token. */
  source: string;
  /** Deepest `levels` the reader can serve. */
  levels: number;
  /** Synced locales in order, `null` for the account's default without a `locale` parameter. */
  locales: (string | null)[];
  /** A preview (drafts) snapshot: never serve it in a published build. */
  preview: boolean;
  /** Digest of the sync settings that shape the content (source, levels, locales, preview…). */
  optionsDigest: string;
  counts: ManifestCounts;
  /**
   * Relative path → sha256 of its text, for every entity (its logical path, e.g.
   * `blog/posts/<slug>.json`) and every plain file but the manifest.
   */
  hashes: Record<string, string>;
  /**
   * Entity folder → digest of each of its chunk files (`chunkFile(folder, i)`: sha256 of the
   * names and hashes of its members); an entity is in chunk `chunkOf(name, length)`. Folders
   * without entities are absent.
   */
  chunks: Record<string, string[]>;
  /**
   * Chunk file path → sha256 of its bytes, which a reader checks on first read (plain files'
   * are in `hashes`). Absent in snapshots written before it existed: their chunks are not
   * checked, and the next sync writes it.
   */
  chunkHashes?: Record<string, string>;
  /** ISO time of the sync that last changed the snapshot. */
  syncedAt: string;
  /** Page types and collections found through references beyond the configured ones. */
  discovered: { pageTypes: string[]; collections: string[] };
}

export function countContent(content: StagedContent, files: number): ManifestCounts {
  const sum = (f: (l: StagedContent['locales'][number]) => number) =>
    content.locales.reduce((n, l) => n + f(l), 0);
  const first = content.locales[0];
  return {
    locales: content.locales.length,
    singlePages: sum((l) => l.singlePages.length),
    pages: sum((l) => Object.values(l.pageTypes).reduce((n, p) => n + p.length, 0)),
    items: sum((l) => Object.values(l.collections).reduce((n, p) => n + p.length, 0)),
    pageTypes: first ? Object.keys(first.pageTypes).length : 0,
    collections: first ? Object.keys(first.collections).length : 0,
    posts: content.blog.posts.length,
    authors: content.blog.authors.length,
    categories: content.blog.categories.length,
    tags: content.blog.tags.length,
    files,
  };
}

/** The manifest without its volatile part, to compare two syncs. */
export function stableManifestText(manifest: Manifest): string {
  const { syncedAt: _ignored, ...rest } = manifest;
  return JSON.stringify(rest);
}

/** Parses and checks a manifest's text; `undefined` when it is not a manifest of this format. */
export function parseManifest(text: string): Manifest | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Partial<Manifest>;
  if (m.formatVersion !== FORMAT_VERSION || !Array.isArray(m.locales)) return undefined;
  if (typeof m.hashes !== 'object' || m.hashes === null) return undefined;
  if (typeof m.chunks !== 'object' || m.chunks === null) return undefined;
  return m as Manifest;
}
