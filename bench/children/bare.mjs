/**
 * Child: the lower bound. The exact URLs the sync requested (API answers and media files), known
 * up front, fetched behind one p-limit of the same concurrency, each API body parsed as JSON
 * (the sync has to parse too). No pagination logic, no retries, no files. `transport`: `fetch`, or `http` (`http.get` on
 * Node's global keep-alive agent, the transport of the sync's client; about a third less CPU).
 */
import { get } from 'node:http';
import pLimit from 'p-limit';
import { readInput, report, warmUp } from './lib.mjs';

const input = await readInput();
for (const url of input.urls) {
  if (new URL(url).hostname !== '127.0.0.1') throw new Error(`refusing to fetch ${url}`);
}

async function viaFetch(url) {
  const response = await fetch(url);
  return { status: response.status, text: await response.text() };
}

function viaHttp(url) {
  return new Promise((resolve, reject) => {
    get(url, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () =>
        resolve({ status: response.statusCode, text: Buffer.concat(chunks).toString('utf8') }),
      );
    }).on('error', reject);
  });
}

const fetchOne = input.transport === 'http' ? viaHttp : viaFetch;
await warmUp(input.urls[0], input.transport);
const limit = pLimit(input.concurrency);
let bytes = 0;
const started = performance.now();
await Promise.all(
  input.urls.map((url) =>
    limit(async () => {
      const { status, text } = await fetchOne(url);
      bytes += Buffer.byteLength(text);
      // API answers are parsed (the sync must parse them too); media files are not.
      if (new URL(url).pathname.startsWith('/v2/')) JSON.parse(text);
      if (status !== 200) throw new Error(`${status} for a bench URL`);
    }),
  ),
);
report({ wallMs: performance.now() - started, requests: input.urls.length, bytes });
