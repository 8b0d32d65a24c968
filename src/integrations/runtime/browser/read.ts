/**
 * `src/core/snapshot/read.ts` inside `virtual:buttercms`'s runtime: the reader opens its
 * snapshot by name (`createLocalButter('virtual:buttercms')`) and gets the files the virtual
 * module registered — lazy chunks — instead of a folder on disk, which a browser cannot read.
 *
 * A name that was not registered is a folder: on Node it is read from disk (through
 * `process.getBuiltinModule`, which no bundler follows), so server code bundled together with
 * the runtime (an Astro loader, SSR) still reads snapshots; in a browser it is an error.
 */
import { ButterError } from '../../../core/errors.ts';
import { chunkedReader } from '../../../core/snapshot/chunked.ts';
import { type Manifest, parseManifest } from '../../../core/snapshot/manifest.ts';

export interface SnapshotFiles {
  dir: string;
  manifest: Manifest;
  readJson(path: string): Promise<unknown>;
}

// On globalThis: a bundler may instantiate this module twice (once as the reader's substitute,
// once as the runtime's import); both must see the same registrations.
const KEY = Symbol.for('unplugin-buttercms.snapshots');
const scope = globalThis as { [KEY]?: Map<string, SnapshotFiles> };
scope[KEY] ??= new Map();
const registry: Map<string, SnapshotFiles> = scope[KEY];

export function registerSnapshot(files: SnapshotFiles): void {
  registry.set(files.dir, files);
}

function unavailable(dir: string): never {
  throw new ButterError(`no snapshot registered as ${dir} (reading a folder needs Node.js)`, {
    code: 'SNAPSHOT',
    hint: "In code bundled for the browser, import the reader from 'virtual:buttercms'.",
  });
}

type Fs = { readFile(path: string, encoding: 'utf8'): Promise<string> };

function nodeFs(): Fs | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?(id: string): unknown } }).process;
  return proc?.getBuiltinModule?.('node:fs/promises') as Fs | undefined;
}

async function readJsonFile(fs: Fs, file: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw error;
  }
}

export async function readManifest(dir: string): Promise<Manifest | undefined> {
  const registered = registry.get(dir);
  if (registered) return registered.manifest;
  const fs = nodeFs();
  if (!fs) return undefined;
  let text: string;
  try {
    text = await fs.readFile(`${dir}/manifest.json`, 'utf8');
  } catch {
    return undefined;
  }
  return parseManifest(text);
}

export async function openSnapshot(dir: string): Promise<SnapshotFiles> {
  const registered = registry.get(dir);
  if (registered) return registered;
  const fs = nodeFs();
  if (!fs) unavailable(dir);
  const manifest = await readManifest(dir);
  if (!manifest) {
    throw new ButterError(
      `no ButterCMS snapshot in ${dir} (manifest.json missing, unreadable or of an older format)`,
      {
        code: 'SNAPSHOT',
        hint: 'Run `butter-sync` (or the build, which syncs) to write the snapshot again.',
      },
    );
  }
  const readJson = chunkedReader(
    manifest,
    (path) => readJsonFile(fs, `${dir}/${path}`),
    (path) =>
      new ButterError(`${path} is missing from the snapshot ${dir} or damaged`, {
        code: 'SNAPSHOT',
      }),
  );
  return { dir, manifest, readJson };
}

export async function readSnapshot(dir: string): Promise<never> {
  unavailable(dir);
}
