/**
 * `src/core/snapshot/read.ts` inside `virtual:buttercms`'s runtime: the reader opens its
 * snapshot by name (`createLocalButter('virtual:buttercms')`) and gets the files the virtual
 * module registered — lazy chunks — instead of a folder on disk, which a browser cannot read.
 */
import { ButterError } from '../../../core/errors.ts';
import type { Manifest } from '../../../core/snapshot/manifest.ts';

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

export async function openSnapshot(dir: string): Promise<SnapshotFiles> {
  return registry.get(dir) ?? unavailable(dir);
}

export async function readManifest(dir: string): Promise<Manifest | undefined> {
  return registry.get(dir)?.manifest;
}

export async function readSnapshot(dir: string): Promise<never> {
  unavailable(dir);
}
