/**
 * A snapshot's files as the reader takes them in (`SnapshotFiles`: a folder on disk through
 * `read.ts`, the lazy modules of `virtual:buttercms`, or any files a caller brings), and the
 * chunk file format read back: one entity per line (`"<name>":<entity JSON>`, see
 * `renderChunk`), so a chunk is indexed by its line breaks once and each entity's text is cut
 * out when asked for. No Node built-ins: the runtime of `virtual:buttercms` runs it in browsers.
 */

import { ButterError } from '../errors.ts';
import { isObject } from '../model/json.ts';
import type { Manifest } from './manifest.ts';

/** A file's content, as `SnapshotFiles` gives it. */
export type FileData = Uint8Array | string;

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
  readFile(path: string): Promise<FileData | undefined>;
  /**
   * Optional: the part `start`…`end` of a file, in the units of what `readFile` gives for it
   * (bytes or UTF-16 code units), from the same version of the file as `readFile` last gave
   * whole — else `undefined`, and the file is read whole again. With it a cache too small for
   * the snapshot reads one entity again rather than its whole chunk file.
   */
  readRange?(path: string, start: number, end: number): Promise<FileData | undefined>;
}

/** An error for a snapshot that cannot be read as it is. */
export function snapshotError(message: string, cause?: unknown): ButterError {
  return new ButterError(message, {
    code: 'SNAPSHOT',
    hint: 'Run `butter-sync` (or the build, which syncs) to write the snapshot again.',
    cause,
  });
}

export const damaged = (location: string, path: string) =>
  snapshotError(`${path} is missing from the snapshot ${location} or damaged`);

export function parseJson(location: string, path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw snapshotError(`${path} in the snapshot ${location} is not valid JSON`, error);
  }
}

const decoder = new TextDecoder();

/** The text of `data` (whole, or `start`…`end`). */
export const textOf = (data: FileData, start = 0, end = data.length): string =>
  typeof data === 'string' ? data.slice(start, end) : decoder.decode(data.subarray(start, end));

/**
 * A chunk file's content, members located: `text(i)` is member `i`'s entity text. Offsets are
 * in the units of `data` (for bytes: file offsets, as `readRange` takes them).
 */
export interface ChunkContent {
  data: FileData;
  names: string[];
  /** Name → member index. */
  positions: Map<string, number>;
  starts: number[];
  ends: number[];
  /** Whether the offsets are the file's (`readRange` can read a member again). */
  inFile: boolean;
}

/**
 * A chunk file's content in the form that cuts entities out fastest: bytes that are all ASCII
 * (as the writer's escaped JSON mostly is) become one string whose offsets are the file's.
 */
function compact(data: FileData): FileData {
  if (typeof data === 'string') return data;
  const text = decoder.decode(data);
  return text.length === data.length ? text : data;
}

const QUOTE = 34;
const COMMA = 44;
const COLON = 58;
const NEWLINE = 10;

/** A name cut out of a file's text, as a string of its own; `undefined` if not a plain name. */
function ownCopy(sliced: string): string | undefined {
  if (sliced.includes('\\')) return undefined;
  try {
    return JSON.parse(`"${sliced}"`) as string;
  } catch {
    return undefined; // a control character: not a name the writer renders
  }
}

/**
 * The members of a chunk file as the writer renders it: `{`, then one `"<name>":<text>` per
 * line, `,`-separated, then `}`. `undefined` when the file is not laid out so.
 */
function lineIndex(data: FileData): ChunkContent | undefined {
  const code =
    typeof data === 'string' ? (i: number) => data.charCodeAt(i) : (i: number) => data[i]!;
  const find =
    typeof data === 'string'
      ? (c: number, from: number) => data.indexOf(String.fromCharCode(c), from)
      : (c: number, from: number) => data.indexOf(c, from);
  if (code(0) !== 123 || code(1) !== NEWLINE) return undefined;
  const content: ChunkContent = {
    data,
    names: [],
    positions: new Map(),
    starts: [],
    ends: [],
    inFile: true,
  };
  let start = 2;
  for (;;) {
    const end = find(NEWLINE, start);
    if (end < 0) return undefined;
    if (code(start) !== QUOTE) {
      // The closing line: `}` and nothing after it.
      return textOf(data, start).trim() === '}' ? content : undefined;
    }
    const quote = find(QUOTE, start + 1);
    if (quote < 0 || quote > end || code(quote + 1) !== COLON) return undefined;
    // Escaped names never hold `\` or `"`: the text between the quotes is the name. Parsed,
    // not sliced: a slice of the file's text would keep the whole text alive with the index.
    const name = ownCopy(textOf(data, start + 1, quote));
    if (name === undefined) return undefined;
    content.positions.set(name, content.names.length);
    content.names.push(name);
    content.starts.push(quote + 2);
    content.ends.push(code(end - 1) === COMMA ? end - 1 : end);
    start = end + 1;
  }
}

/** Any other JSON object of name → entity (a chunk written by hand, say): re-rendered by lines. */
function reRendered(location: string, path: string, data: FileData): ChunkContent {
  const value = parseJson(location, path, textOf(data));
  if (!isObject(value)) throw damaged(location, path);
  const members: Record<string, unknown> = value;
  const lines = Object.keys(members).map((name) => ({
    name,
    text: JSON.stringify(members[name]),
  }));
  const content: ChunkContent = {
    data: '',
    names: [],
    positions: new Map(),
    starts: [],
    ends: [],
    inFile: false,
  };
  let text = '';
  for (const { name, text: member } of lines) {
    content.positions.set(name, content.names.length);
    content.names.push(name);
    content.starts.push(text.length);
    text += member;
    content.ends.push(text.length);
  }
  content.data = text;
  return content;
}

/** The one place a chunk file's content is taken in (any check of its bytes belongs here). */
export function readChunk(location: string, path: string, data: FileData): ChunkContent {
  const compacted = compact(data);
  return lineIndex(compacted) ?? reRendered(location, path, compacted);
}
