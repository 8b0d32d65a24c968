/** Child: one `sync()` (ours, from the built package), measured in its own process. */
import { pathToFileURL } from 'node:url';
import { peakRss, readInput, report, warmUp } from './lib.mjs';

const input = await readInput();
const { sync } = await import(pathToFileURL(input.module).href);
// The sync's client speaks node:http (`src/core/client/transport.ts`).
await warmUp(input.apiUrl, 'http');
const started = performance.now();
/** Peak RSS when the crawl (with probes) ended, before the later stages. */
let crawlMaxRss = 0;
/** CPU time (user + system) spent until then. */
let crawlCpuMs = 0;
/** Peak RSS (MB) when each phase began: where the memory goes. */
const phaseRss = {};
const cpuBefore = process.cpuUsage();
const onProgress = (event) => {
  if (event.type !== 'phase') return;
  const peak = peakRss();
  phaseRss[event.phase] = Math.round(peak / 1024 / 1024);
  if (event.phase === 'media') {
    crawlMaxRss = peak;
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
    media: input.media ?? false,
    types: input.types ?? false,
    ...(input.mediaHosts ? { mediaHosts: input.mediaHosts } : {}),
  },
  { onProgress, logger: { warn() {}, info() {} } },
);
const wallMs = performance.now() - started;
report({
  wallMs,
  crawlMs: result.timings.crawlMs,
  mediaMs: result.timings.mediaMs,
  typesMs: result.timings.typesMs,
  writeMs: result.timings.writeMs,
  requests: result.requests,
  retries: result.retries,
  bytes: result.bytes,
  entities: result.entities,
  media: result.media
    ? { downloaded: result.media.downloaded, files: result.media.files }
    : undefined,
  changed: result.changed,
  crawlMaxRss,
  crawlCpuMs,
  phaseRss,
});
