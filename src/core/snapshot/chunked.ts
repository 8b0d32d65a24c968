/**
 * Reading a snapshot's entities out of its files, wherever the files are: a folder on disk
 * (`read.ts`), the lazy modules of `virtual:buttercms`, or any `SnapshotFiles` a caller brings.
 * No Node built-ins: the runtime of `virtual:buttercms` runs it in browsers.
 *
 * A chunk file holds one entity per line (`"<name>":<entity JSON>`, see `renderChunk`), so a
 * chunk is indexed by its line breaks once and each entity is parsed only when asked for: an
 * entity costs its own text, not its chunk's 128. Chunks and parsed entities are kept in one
 * cache with a memory budget, least recently used first out.
 */
import { ButterError } from '../errors.ts';
import { BudgetCache } from './cache.ts';
import type { Manifest } from './manifest.ts';
import { chunkFile, chunkOf, splitEntityPath } from './names.ts';

/** A snapshot's files: what `createLocalButter` reads. */
export interface SnapshotFiles {
  /** Where the snapshot is, for messages: its folder, or a name such as `virtual:buttercms`. */
  location: string;
  manifest: Manifest;
  /**
   * A file by relative path — a chunk file (`<folder>/_chunk-<k>.json`), an index,
   * `profile.json`, … — as bytes or text; `undefined` when there is none. An entity of a folder
   * the manifest lists no chunks for is read as its own file (`<folder>/<name>.json`).
   */
  readFile(path: string): Promise<Uint8Array | string | undefined>;
}

/** An error for a snapshot that cannot be read as it is. */
export function snapshotError(message: string, cause?: unknown): ButterError {
  return new ButterError(message, {
    code: 'SNAPSHOT',
    hint: 'Run `butter-sync` (or the build, which syncs) to write the snapshot again.',
    cause,
  });
}

type Data = Uint8Array | string;

const decoder = new TextDecoder();
const textOf = (data: Data, start = 0, end = data.length) =>
  typeof data === 'string' ? data.slice(start, end) : decoder.decode(data.subarray(start, end));

/** A chunk file's members by escaped name; each member's text is read only when asked for. */
interface Chunk {
  /** What the cache counts it for: the size of its file's content. */
  size: number;
  names(): string[];
  text(name: string): string | undefined;
}

const QUOTE = 34;
const COMMA = 44;
const COLON = 58;
const NEWLINE = 10;

/**
 * The members of a chunk file as the writer renders it: `{`, then one `"<name>":<text>` per
 * line, `,`-separated, then `}`. `undefined` when the file is not laid out so.
 */
function lineIndex(data: Data): Chunk | undefined {
  const code =
    typeof data === 'string' ? (i: number) => data.charCodeAt(i) : (i: number) => data[i]!;
  const find =
    typeof data === 'string'
      ? (c: number, from: number) => data.indexOf(String.fromCharCode(c), from)
      : (c: number, from: number) => data.indexOf(c, from);
  if (textOf(data, 0, 2) !== '{\n') return undefined;
  const members = new Map<string, [start: number, end: number]>();
  let start = 2;
  for (;;) {
    const end = find(NEWLINE, start);
    if (end < 0) return undefined;
    if (code(start) !== QUOTE) {
      // The closing line: `}` and nothing after it.
      return textOf(data, start).trim() === '}' ? lineChunk(data, members) : undefined;
    }
    const quote = find(QUOTE, start + 1);
    if (quote < 0 || quote > end || code(quote + 1) !== COLON) return undefined;
    // Escaped names never hold `\` or `"`: the text between the quotes is the name.
    const name = textOf(data, start + 1, quote);
    if (name.includes('\\')) return undefined;
    members.set(name, [quote + 2, code(end - 1) === COMMA ? end - 1 : end]);
    start = end + 1;
  }
}

function lineChunk(data: Data, members: Map<string, [number, number]>): Chunk {
  return {
    size: data.length,
    names: () => [...members.keys()],
    text(name) {
      const span = members.get(name);
      return span && textOf(data, span[0], span[1]);
    },
  };
}

/** Any other JSON object of name → entity (a chunk written by hand, say): parsed whole. */
function parsedChunk(location: string, path: string, data: Data): Chunk {
  const value = parseJson(location, path, textOf(data));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw damaged(location, path);
  }
  const members = value as Record<string, unknown>;
  return {
    size: data.length,
    names: () => Object.keys(members),
    text: (name) => (Object.hasOwn(members, name) ? JSON.stringify(members[name]) : undefined),
  };
}

const damaged = (location: string, path: string) =>
  snapshotError(`${path} is missing from the snapshot ${location} or damaged`);

function parseJson(location: string, path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw snapshotError(`${path} in the snapshot ${location} is not valid JSON`, error);
  }
}

/**
 * Memory a parsed entity is counted for, per byte of its JSON text: V8 holds parsed content in
 * about 1.4 times its text (measured on generated accounts); the rest is slack for the garbage
 * collector.
 */
const PARSED_COST = 2;

/** Reading entities and files of one snapshot, with a cache of `cacheBytes` at most. */
export interface SnapshotStore {
  location: string;
  manifest: Manifest;
  /**
   * An entity by logical path (`<folder>/<name>.json`), parsed, or `undefined` when there is
   * none. Kept in the cache while the budget allows; the object is shared by every caller.
   */
  readEntity(path: string): Promise<unknown>;
  /** A plain file (an index, the profile…) parsed, not cached; an entity's path as `readEntity`. */
  readJson(path: string): Promise<unknown>;
  /** The stored text of an entity or a plain file (for modules that embed it). */
  readText(path: string): Promise<string | undefined>;
  /** Every entity of a folder, by escaped name (each chunk file read once, nothing cached). */
  readFolder(folder: string): Promise<Map<string, unknown>>;
}

/** What `openStore` keeps when no budget is given: room for everything. */
export const UNBOUNDED = Number.POSITIVE_INFINITY;

export function openStore(files: SnapshotFiles, cacheBytes: number = UNBOUNDED): SnapshotStore {
  const { location, manifest } = files;
  const cache = new BudgetCache<Chunk | unknown>(cacheBytes);
  const pending = new Map<string, Promise<Chunk | undefined>>();

  /** The one place a chunk file's content becomes a `Chunk`. */
  const loadChunk = async (path: string): Promise<Chunk | undefined> => {
    const data = await files.readFile(path);
    if (data === undefined) return undefined;
    return lineIndex(data) ?? parsedChunk(location, path, data);
  };
  const readChunk = (path: string): Promise<Chunk | undefined> => {
    const kept = cache.get(path) as Chunk | undefined;
    if (kept) return Promise.resolve(kept);
    let promise = pending.get(path);
    if (!promise) {
      promise = loadChunk(path).then(
        (chunk) => {
          pending.delete(path);
          if (chunk) cache.set(path, chunk, chunk.size);
          return chunk;
        },
        (error: unknown) => {
          pending.delete(path);
          throw error;
        },
      );
      pending.set(path, promise);
    }
    return promise;
  };

  const locate = (path: string) => {
    const [folder, name] = splitEntityPath(path);
    const stored = Object.hasOwn(manifest.chunks, folder) ? manifest.chunks[folder] : undefined;
    return stored ? { chunk: chunkFile(folder, chunkOf(name, stored.length)), name } : undefined;
  };

  const readText = async (path: string): Promise<string | undefined> => {
    const at = locate(path);
    if (!at) {
      const data = await files.readFile(path);
      return data === undefined ? undefined : textOf(data);
    }
    const chunk = await readChunk(at.chunk);
    if (!chunk) throw damaged(location, at.chunk);
    return chunk.text(at.name);
  };

  const entityKey = (path: string) => `entity:${path}`;
  const readEntity = async (path: string): Promise<unknown> => {
    const kept = cache.get(entityKey(path));
    if (kept !== undefined) return kept;
    const text = await readText(path);
    if (text === undefined) return undefined;
    const again = cache.get(entityKey(path)); // parsed by a concurrent call meanwhile
    if (again !== undefined) return again;
    const value = parseJson(location, path, text);
    cache.set(entityKey(path), value, text.length * PARSED_COST);
    return value;
  };

  return {
    location,
    manifest,
    readEntity,
    readText,
    async readJson(path) {
      if (locate(path)) return readEntity(path);
      const text = await readText(path);
      return text === undefined ? undefined : parseJson(location, path, text);
    },
    async readFolder(folder) {
      const out = new Map<string, unknown>();
      const count = Object.hasOwn(manifest.chunks, folder) ? manifest.chunks[folder]!.length : 0;
      const read = Array.from({ length: count }, async (_, index) => {
        const path = chunkFile(folder, index);
        const chunk = await loadChunk(path);
        if (!chunk) throw damaged(location, path);
        return { path, chunk };
      });
      for (const { path, chunk } of await Promise.all(read)) {
        for (const name of chunk.names()) {
          out.set(name, parseJson(location, path, chunk.text(name)!));
        }
      }
      return out;
    },
  };
}
