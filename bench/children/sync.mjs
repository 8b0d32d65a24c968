/** Child: one `sync()` (ours, from the built package), measured in its own process. */
import { pathToFileURL } from 'node:url';
import { readInput, report, warmUp } from './lib.mjs';

const input = await readInput();
const { sync } = await import(pathToFileURL(input.module).href);
await warmUp(input.apiUrl);
const started = performance.now();
const result = await sync({
  token: input.token,
  apiUrl: input.apiUrl,
  out: input.out,
  pageTypes: input.pageTypes,
  collections: input.collections,
  locales: input.locales,
  concurrency: input.concurrency,
  media: false,
  types: false,
});
const wallMs = performance.now() - started;
report({
  wallMs,
  crawlMs: result.timings.crawlMs,
  writeMs: result.timings.writeMs,
  requests: result.requests,
  retries: result.retries,
  bytes: result.bytes,
  entities: result.entities,
  changed: result.changed,
});
