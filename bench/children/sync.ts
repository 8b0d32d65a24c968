/** Child: one `sync()` (ours), measured in its own process. */
import { sync } from '../../src/core/sync/index.ts';
import { readInput, report, warmUp } from '../lib.ts';

interface Input {
  apiUrl: string;
  token: string;
  out: string;
  pageTypes: string[];
  collections: string[];
  locales: string[];
  concurrency: number;
}

const input = await readInput<Input>();
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
