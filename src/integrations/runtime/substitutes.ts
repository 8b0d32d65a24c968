/**
 * Node-only snapshot modules the reader imports, and their browser-safe stand-ins used inside
 * `virtual:buttercms`'s runtime (by the plugin from source, by tsup for `dist/runtime.js`).
 */
import { fileURLToPath } from 'node:url';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Absolute path of a core module → absolute path of its stand-in. */
export const SUBSTITUTES: ReadonlyMap<string, string> = new Map([
  [here('../../core/snapshot/names.ts'), here('./browser/names.ts')],
  [here('../../core/snapshot/read.ts'), here('./browser/read.ts')],
]);
