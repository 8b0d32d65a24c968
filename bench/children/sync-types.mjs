/** Child: one `sync()` (ours, from the built package), measured in its own process. */
import { pathToFileURL } from 'node:url';
import { readInput, report, warmUp } from './lib.mjs';

const input = await readInput();
const { sync } = await import(pathToFileURL(input.module).href);
// The sync's client speaks node:http (`src/core/client/transport.ts`).
await warmUp(input.apiUrl, 'http');
const started = performance.now();
/** Peak RSS when the crawl (with probes) ended, before the snapshot store renders and writes. */
let crawlMaxRss = 0;
/** CPU time (user + system) spent until then. */
let crawlCpuMs = 0;
const cpuBefore = process.cpuUsage();
const onProgress = (event) => {
  if (event.type === 'phase' && event.phase === 'media') {
    crawlMaxRss = process.resourceUsage().maxRSS * 1024;
    const cpu = process.cpuUsage(cpuBefore);
    crawlCpuMs = (cpu.user + cpu.system) / 1000;
  }
};
const result = await sync(
  {
    token: input.token,
    apiUrl: input.apiUrl,
    out: input.out,
    pageTypes: input.pageTypes,
    collections: input.collections,
    locales: input.locales,
    concurrency: input.concurrency,
    media: false,
    types: process.env.TYPES_OUT || false,
  },
  { onProgress },
);
const wallMs = performance.now() - started;
report({
  wallMs,
  crawlMs: result.timings.crawlMs,
  writeMs: result.timings.writeMs, typesMs: result.timings.typesMs, typesReport: result.types,
  requests: result.requests,
  retries: result.retries,
  bytes: result.bytes,
  entities: result.entities,
  changed: result.changed,
  crawlMaxRss,
  crawlCpuMs,
});
