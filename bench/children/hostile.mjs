/** Child: one `sync()` (ours, from the built package) against a hostile server; never throws. */
import { pathToFileURL } from 'node:url';
import { readInput, report, warmUp } from './lib.mjs';

const input = await readInput();
const { sync } = await import(pathToFileURL(input.module).href);
await warmUp(input.options.apiUrl, 'http');
const started = performance.now();
let outcome;
try {
  const result = await sync(input.options);
  outcome = { ok: true, changed: result.changed, warnings: result.warnings.length };
} catch (error) {
  outcome = { ok: false, code: error.code ?? 'INTERNAL', message: String(error.message) };
}
report({ wallMs: performance.now() - started, ...outcome });
