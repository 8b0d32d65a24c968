/**
 * Child: one `sync()` with the defaults (media and types on), warm unless `full`; `mediaHosts`
 * when given (the fake's CDN).
 */
import { pathToFileURL } from 'node:url';
import { readInput, report, warmUp } from './lib.mjs';

const input = await readInput();
const { sync } = await import(pathToFileURL(input.module).href);
await warmUp(input.apiUrl, 'http');
const started = performance.now();
const result = await sync({
  token: input.token,
  apiUrl: input.apiUrl,
  out: input.out,
  types: input.types,
  pageTypes: input.pageTypes,
  collections: input.collections,
  locales: input.locales,
  full: input.full,
  ...(input.mediaHosts ? { mediaHosts: input.mediaHosts } : {}),
});
report({
  wallMs: performance.now() - started,
  requests: result.requests,
  bytes: result.bytes,
  changed: result.changed,
  timings: result.timings,
  warm: result.warm ?? null,
});
