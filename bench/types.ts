/**
 * `node bench/types.ts [--types 500] [--samples 200] [--generated <spec>]`: type inference and
 * declarations emit. By default on synthesized content — 500 page types × 200 pages each, every
 * page with scalars, dates, HTML, media objects, a single component, a repeater, references to
 * other page types and a component picker over a shared library of 40 components; with
 * `--generated pages=5000,posts=12000,items=3000` on the snapshot of a generated account synced
 * from the fake server. Prints the time of each stage and the size of the outputs; not a timed
 * test.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { emitDeclarations, inferSchema, serializeLock } from '../src/core/codegen/index.ts';
import type { Json, JsonObject, SnapshotContent } from '../src/core/model/content.ts';
import { readSnapshot } from '../src/core/snapshot/index.ts';
import { syncGeneratedAccount } from './lib.ts';

const { values } = parseArgs({
  options: {
    types: { type: 'string', default: '500' },
    samples: { type: 'string', default: '200' },
    generated: { type: 'string' },
  },
});
const TYPES = Number(values.types);
const SAMPLES = Number(values.samples);
const COMPONENTS = 40;

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const typeSlug = (i: number) => `page-type-${i}`;

function component(n: number, random: () => number): JsonObject {
  const fields: JsonObject = {
    headline: `Headline ${Math.floor(random() * 1000)}`,
    image: { url: `https://cdn.buttercms.com/c${n}x${Math.floor(random() * 1e6)}`, alt: 'alt' },
    position: ['left', 'right'][Math.floor(random() * 2)]!,
  };
  for (let f = 0; f < 3 + (n % 5); f++) fields[`c${n}_field_${f}`] = random() < 0.9 ? 'text' : null;
  if (n % 3 === 0)
    fields.items = [
      { label: 'a', value: random() * 10 },
      { label: 'b', value: 2 },
    ];
  return { type: `component_${n}`, fields };
}

function pageFields(type: number, sample: number, random: () => number): JsonObject {
  // Each page type references a few neighbours (references target a handful of types).
  const pick = () => (type + 1 + Math.floor(random() * 3)) % TYPES;
  const fields: { [key: string]: Json } = {
    title: `Page ${type}/${sample}`,
    summary: random() < 0.1 ? '' : 'A summary',
    order: sample,
    rating: random() * 5,
    featured: random() < 0.5,
    published_on: '2024-05-17T14:14:41.484894Z',
    body: '<p>Hello <b>world</b></p>',
    hero: { url: `https://cdn.buttercms.com/h${sample}`, alt: '' },
    seo: { title: 'SEO', description: random() < 0.2 ? null : 'Description' },
    rows: Array.from({ length: Math.floor(random() * 4) }, (_, r) => ({ q: `q${r}`, a: `a${r}` })),
    related: random() < 0.1 ? {} : `/v2/pages/${typeSlug(pick())}/slug-${sample}/`,
    see_also: [`/v2/pages/${typeSlug(pick())}/x/`, `/v2/content/?keys=faq[_id=${sample}]`],
    sections: Array.from({ length: 1 + Math.floor(random() * 4) }, () =>
      component(Math.floor(random() * COMPONENTS), random),
    ),
  };
  for (let f = 0; f < type % 7; f++) fields[`extra_${type}_${f}`] = random() < 0.7 ? `v${f}` : 1;
  return fields;
}

function synthesize(): SnapshotContent {
  const random = rng(1);
  const pageTypes: { [type: string]: JsonObject[] } = {};
  for (let t = 0; t < TYPES; t++) {
    pageTypes[typeSlug(t)] = Array.from({ length: SAMPLES }, (_, s) => ({
      slug: `slug-${s}`,
      name: `Page ${s}`,
      published: '2024-05-17T14:14:41.484894Z',
      updated: '2024-05-17T14:14:41.522160Z',
      page_type: typeSlug(t),
      fields: pageFields(t, s, random),
    }));
  }
  const faq = Array.from({ length: 50 }, (_, i) => ({ meta: { id: i }, q: `Q${i}`, a: `A${i}` }));
  return {
    locales: [{ locale: null, singlePages: [], pageTypes, collections: { faq } }],
    blog: {
      posts: [],
      authors: [],
      categories: [],
      tags: [],
      recentPosts: { authors: {}, categories: {}, tags: {} },
    },
    probes: { embedded: [] },
  };
}

const kb = (text: string) => `${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB`;
const ms = (from: number, to: number) => `${((to - from) / 1000).toFixed(2)} s`;

/** With `--generated <spec>`: the snapshot of a generated account, synced from the fake. */
async function generatedContent(spec: string): Promise<SnapshotContent> {
  const dir = await mkdtemp(join(tmpdir(), 'butter-bench-types-'));
  try {
    await syncGeneratedAccount(spec, dir);
    return (await readSnapshot(dir)).content;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const t0 = performance.now();
const content = values.generated ? await generatedContent(values.generated) : synthesize();
const t1 = performance.now();
const { lock } = inferSchema(content, { levels: 2 });
const t2 = performance.now();
const again = inferSchema(content, { levels: 2, previous: lock });
const t3 = performance.now();
const cpu = process.cpuUsage();
const source = await emitDeclarations(lock);
const t4 = performance.now();
const emitCpu = process.cpuUsage(cpu);
const lockText = serializeLock(again.lock);

const pages = values.generated
  ? content.locales.reduce(
      (n, l) => n + l.singlePages.length + Object.values(l.pageTypes).flat().length,
      0,
    )
  : TYPES * SAMPLES;
console.log(
  values.generated
    ? `types bench: generated account ${values.generated} (${pages} pages)`
    : `types bench: ${TYPES} page types × ${SAMPLES} samples = ${pages} pages, ${COMPONENTS} components`,
);
console.log(`  ${values.generated ? 'sync from the fake' : 'synthesize'}   ${ms(t0, t1)}`);
console.log(
  `  infer (no lock)      ${ms(t1, t2)}  (${((pages / (t2 - t1)) * 1000).toFixed(0)} pages/s)`,
);
console.log(`  infer (with lock)    ${ms(t2, t3)}  changes: ${again.changes.length}`);
console.log(
  `  emit declarations    ${ms(t3, t4)}  (CPU ${((emitCpu.user + emitCpu.system) / 1e6).toFixed(2)} s; json-schema-to-typescript + ts-morph)`,
);
console.log(
  `  declarations         ${kb(source)}, ${source.split('\n').length} lines, ${(source.match(/^export interface /gm) ?? []).length} interfaces`,
);
console.log(`  types.lock.json      ${kb(lockText)}`);
console.log(`  peak RSS             ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
