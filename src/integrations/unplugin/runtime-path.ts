/**
 * Where the browser-safe runtime of `virtual:buttercms` lives. Published: `dist/runtime.js`, a
 * self-contained bundle next to the plugin's chunks. From source (this repository's tests):
 * `src/integrations/runtime/index.ts`, whose TypeScript the plugin strips itself so that every
 * bundler can read it (`stripSourceTypes`).
 */
import * as nodeModule from 'node:module';
import { fileURLToPath } from 'node:url';

const fromSource = import.meta.url.endsWith('.ts');

export const RUNTIME_FILE = fileURLToPath(
  new URL(fromSource ? '../runtime/index.ts' : './runtime.js', import.meta.url),
);

/** `src/` when running from source, else `undefined`. */
const SOURCE_DIR = fromSource ? fileURLToPath(new URL('../../', import.meta.url)) : undefined;

export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The runtime file itself (esbuild reads it through the plugin's namespace). */
export const RUNTIME_FILTER = new RegExp(`^${escapeRegExp(RUNTIME_FILE)}$`);

/** Our own TypeScript sources, when running from source. */
export const SOURCE_FILTER = SOURCE_DIR
  ? new RegExp(`^${escapeRegExp(SOURCE_DIR)}.*\\.ts$`)
  : undefined;

export function stripSourceTypes(code: string): string {
  // Looked up when called: Node 22.12 (the oldest we support) has no stripTypeScriptTypes, and
  // only this repository's own tests run the plugin from source.
  return nodeModule.stripTypeScriptTypes(code, { mode: 'strip' });
}
