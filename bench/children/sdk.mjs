/**
 * Child: how existing ButterCMS integrations crawl (gatsby-source-buttercms and friends): the
 * official `buttercms` SDK, one request after another, `page_size` 20, default `levels`.
 *
 * The SDK has no base-URL option (`https://api.buttercms.com/v2` is a constant in
 * `buttercms/dist`); its requests go through the global `fetch`, which this child wraps to send
 * them to the local fake instead. Any other URL is refused, so nothing leaves 127.0.0.1.
 */
import Butter from 'buttercms';
import { readInput, report, warmUp } from './lib.mjs';

const SDK_BASE = 'https://api.buttercms.com/v2';
const input = await readInput();
if (new URL(input.apiUrl).hostname !== '127.0.0.1')
  throw new Error('the bench only talks to 127.0.0.1');

await warmUp(input.apiUrl);
let requests = 0;
let bytes = 0;
const realFetch = globalThis.fetch;
globalThis.fetch = async (resource, init) => {
  const url = resource instanceof Request ? resource.url : String(resource);
  if (!url.startsWith(`${SDK_BASE}/`)) throw new Error(`refusing to fetch ${url}`);
  requests++;
  const response = await realFetch(input.apiUrl + url.slice(SDK_BASE.length), init);
  const body = await response.arrayBuffer();
  bytes += body.byteLength;
  return new Response(body, { status: response.status, headers: response.headers });
};

const butter = Butter(input.token, { timeout: 120_000 });
const PAGE_SIZE = 20;

/** Follows `next_page` one request at a time. */
async function all(fetchPage) {
  let count = 0;
  let page = 1;
  while (page) {
    const response = await fetchPage(page);
    const data = response.data.data;
    count += Array.isArray(data) ? data.length : Object.values(data).flat().length;
    page = response.data.meta?.next_page;
  }
  return count;
}

const started = performance.now();
let entities = 0;
const locales = input.locales.length > 0 ? input.locales : [undefined];
entities += await all((page) => butter.post.list({ page, page_size: PAGE_SIZE }));
for (const list of [butter.author, butter.category, butter.tag]) {
  const response = await list.list({ include: 'recent_posts' });
  entities += response.data.data.length;
}
for (const locale of locales) {
  const params = locale ? { locale } : {};
  for (const type of ['*', ...input.pageTypes]) {
    entities += await all((page) =>
      butter.page.list(type, { ...params, page, page_size: PAGE_SIZE }),
    );
  }
  for (const key of input.collections) {
    entities += await all((page) =>
      butter.content.retrieve([key], { ...params, page, page_size: PAGE_SIZE }),
    );
  }
}
report({ wallMs: performance.now() - started, requests, bytes, entities });
