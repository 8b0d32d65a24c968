/**
 * The Node-only snapshot module the reader imports, and its browser-safe stand-in used inside
 * `virtual:buttercms`'s runtime (by the plugin from source, by tsup for `dist/runtime.js`).
 */
import { fileURLToPath } from 'node:url';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Absolute path of a core module → absolute path of its stand-in. */
export const SUBSTITUTES: ReadonlyMap<string, string> = new Map([
  [here('../../core/snapshot/read.ts'), here('./browser/read.ts')],
]);
