/**
 * Child: the lower bound. The exact URLs the sync requested, known up front, fetched with
 * plain `fetch` behind one p-limit of the same concurrency, each body parsed as JSON (the sync
 * has to parse too). No pagination logic, no retries, no files.
 */
import pLimit from 'p-limit';
import { readInput, report, warmUp } from './lib.mjs';

const input = await readInput();
for (const url of input.urls) {
  if (new URL(url).hostname !== '127.0.0.1') throw new Error(`refusing to fetch ${url}`);
}
await warmUp(input.urls[0]);
const limit = pLimit(input.concurrency);
let bytes = 0;
const started = performance.now();
await Promise.all(
  input.urls.map((url) =>
    limit(async () => {
      const response = await fetch(url);
      const text = await response.text();
      bytes += Buffer.byteLength(text);
      JSON.parse(text);
      if (!response.ok) throw new Error(`${response.status} for a bench URL`);
    }),
  ),
);
report({ wallMs: performance.now() - started, requests: input.urls.length, bytes });
