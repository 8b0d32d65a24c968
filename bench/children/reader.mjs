/**
 * Child of `bench/reader.ts`: reads a synced snapshot whole through one surface, in its own
 * process (so its peak RSS is its own), and reports the time per call kind.
 *
 *   bound     every snapshot file read and parsed once (the lower bound)
 *   reader    createLocalButter(dir): every page and post retrieved at levels 2, every listing
 *             paged through at page_size 10 and 100, every collection retrieved
 *   next      the same through nextButter(dir)() per call, as a server component calls it
 *   virtual   the same through the runtime of `virtual:buttercms`, over loaders that hand it
 *             the text the plugin's modules embed (loaded once, kept, as a module registry does)
 *   astro     buttercmsLoader for every page type, the posts and every collection, filling a
 *             store as Astro's content layer does
 *   baseline  the reader of another checkout (`--baseline`), a sample of the same calls
 *   floor     the reader's read pattern again, timing only what any reader must do with each
 *             answer: produce it as fresh objects — by the fastest generic deep copy of the
 *             answer, and by `JSON.parse` of its text — so the cost of fresh answers is known
 *
 * Besides the wall time, the main thread's CPU time of the read (without the collector's helper
 * threads and the thread pool's): steadier than the wall time on a shared machine.
 *
 * A call that read a file (a chunk, an index, a module of `virtual:buttercms`) is a first
 * touch; each kind's p99 is given over every call and over the others ("warm"). With `again`
 * the reader reads everything a second time, timed apart ("again …"): per-call costs once the
 * files are read and the code compiled.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readInput, report, usage } from './lib.mjs';

const input = await readInput();
const lib = await import(pathToFileURL(input.module).href);
const { dir } = input;

/** Files read so far (where the surface lets the bench see them), for first touches. */
const reads = { count: 0, seen: false };
/** Durations by call kind, ms, each with whether the call read a file. */
const kinds = new Map();
/** Prefix of the kinds being timed: a second pass is timed apart. */
let pass = '';
async function timed(kind, call) {
  const before = reads.count;
  const started = performance.now();
  const result = await call();
  const ms = performance.now() - started;
  const key = pass + kind;
  if (!kinds.has(key)) kinds.set(key, []);
  kinds.get(key).push({ ms, cold: reads.count !== before });
  return result;
}

function percentiles(list) {
  const sorted = list.map((c) => c.ms).sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p99: at(0.99) };
}

function summary() {
  const out = {};
  for (const [kind, list] of kinds) {
    const warm = list.filter((c) => !c.cold);
    out[kind] = {
      count: list.length,
      totalMs: list.reduce((a, c) => a + c.ms, 0),
      ...percentiles(list),
      ...(reads.seen ? { cold: list.length - warm.length, warmP99: percentiles(warm).p99 } : {}),
    };
  }
  return out;
}

/** `files` with every read counted in `reads`. */
function counted(files) {
  reads.seen = true;
  const count =
    (read) =>
    (...args) => {
      reads.count++;
      return read(...args);
    };
  return {
    ...files,
    readFile: count(files.readFile),
    readRange: files.readRange && count(files.readRange),
  };
}

/** The fastest generic deep copy measured (see the README): a fresh object per object. */
function deepCopy(value) {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = deepCopy(value[i]);
    return out;
  }
  const out = {};
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) out[keys[i]] = deepCopy(value[keys[i]]);
  return out;
}

/** What producing every answer fresh costs, for the floor. */
const floor = { answers: 0, bytes: 0, copyMs: 0, parseMs: 0 };
function fresh(response) {
  const text = JSON.stringify(response.data);
  floor.answers++;
  floor.bytes += text.length;
  let started = performance.now();
  deepCopy(response.data);
  floor.copyMs += performance.now() - started;
  started = performance.now();
  JSON.parse(text);
  floor.parseMs += performance.now() - started;
  return response;
}

const json = async (path) => JSON.parse(await readFile(join(dir, path), 'utf8'));

/** The folder of the snapshot's first locale. */
async function firstLocale() {
  const { locales } = await json('manifest.json');
  return locales[0] === null ? '_default' : locales[0];
}

/**
 * The read pattern of a static build, through `butter()` (a getter per call); `seen` gets each
 * response.
 */
async function readWhole(butter, sample = Infinity, seen = (response) => response) {
  const index = await json(`locales/${await firstLocale()}/index.json`);
  const blog = await json('blog/index.json');
  const take = (list) => list.slice(0, sample);
  for (const [type, slugs] of Object.entries(index.pageTypes)) {
    for (const slug of take(slugs)) {
      await timed('page.retrieve', async () =>
        seen(await (await butter()).page.retrieve(type, slug, { levels: 2 })),
      );
    }
  }
  for (const slug of take(index.singlePages)) {
    await timed('page.retrieve', async () =>
      seen(await (await butter()).page.retrieve('*', slug, { levels: 2 })),
    );
  }
  for (const slug of take(blog.posts)) {
    await timed('post.retrieve', async () => seen(await (await butter()).post.retrieve(slug)));
  }
  const pages = Math.max(1, Math.ceil(sample / 10));
  const pageThrough = async (kind, list) => {
    for (let page = 1; page <= pages; page++) {
      const { data } = seen(await timed(kind, () => list(page)));
      if (!data.meta?.next_page) return;
    }
  };
  for (const size of [10, 100]) {
    for (const type of Object.keys(index.pageTypes)) {
      await pageThrough(`page.list ${size}`, async (page) =>
        (await butter()).page.list(type, { page, page_size: size, levels: 2 }),
      );
    }
    await pageThrough(`post.list ${size}`, async (page) =>
      (await butter()).post.list({ page, page_size: size }),
    );
    for (const key of Object.keys(index.collections)) {
      await pageThrough(`content.list ${size}`, async (page) =>
        (await butter()).content.retrieve([key], { page, page_size: size, levels: 2 }),
      );
    }
  }
  for (const key of Object.keys(index.collections)) {
    await timed('content.retrieve', async () =>
      seen(await (await butter()).content.retrieve([key], { levels: 2 })),
    );
  }
  for (const kind of ['author', 'category', 'tag']) {
    await timed('taxonomy.list', async () =>
      seen(await (await butter())[kind].list({ include: 'recent_posts' })),
    );
  }
}

async function bound() {
  const files = (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => join(e.parentPath, e.name));
  for (const file of files) {
    await timed('file', async () => JSON.parse(await readFile(file, 'utf8')));
  }
}

async function virtual() {
  const manifest = await lib.readManifest(dir);
  // As the plugin loads the modules: chunk files kept within its default budget.
  const store = await lib.openSnapshot(dir, lib.DEFAULT_READER_CACHE * 1024 * 1024);
  const folders = {};
  for (const [folder, names] of lib.foldersOf(manifest)) {
    let module;
    folders[folder] = () => {
      module ??= Promise.resolve({
        files: Object.fromEntries(
          names.map((name) => {
            const path = folder === '_root' ? name : `${folder}/${name}`;
            let loaded;
            const load = () => {
              reads.count++;
              return store.readText(path).then((text) => ({ default: text }));
            };
            return [name, () => (loaded ??= load())];
          }),
        ),
      });
      return module;
    };
  }
  const slim = { ...manifest, hashes: {}, chunks: {} };
  reads.seen = true;
  const butter = lib.createVirtualButter(slim, folders, { cache: input.cache });
  await readWhole(async () => butter);
}

async function astro() {
  const index = await json(`locales/${await firstLocale()}/index.json`);
  // A fresh snapshot (`maxAge`): reused, the API never asked.
  const options = {
    out: dir,
    root: join(dir, '..'),
    token: 'unused',
    apiUrl: 'http://127.0.0.1:9/v2',
    maxAge: '3650d',
    types: false,
  };
  if (input.cache !== undefined) options.readerCache = input.cache;
  const targets = [
    ...Object.keys(index.pageTypes).map((pageType) => ({ pageType })),
    { posts: true },
    ...Object.keys(index.collections).map((collection) => ({ collection })),
  ];
  const quiet = { info() {}, warn() {}, error: console.error };
  for (const target of targets) {
    const entries = new Map();
    const context = {
      store: {
        set: (entry) => entries.set(entry.id, entry) && true,
        keys: () => [...entries.keys()],
        delete: (id) => entries.delete(id),
      },
      logger: quiet,
      parseData: async ({ data }) => data,
      generateDigest: (data) => String(Object.keys(data).length),
    };
    const kind = 'pageType' in target ? 'pages' : 'posts' in target ? 'posts' : 'collection';
    await timed(`loader (${kind})`, () =>
      lib.buttercmsLoader({ ...target, options }).load(context),
    );
  }
}

/** The reader of the `reader` surface, alive to the end: its heap is measured after the read. */
let reader;
const started = performance.now();
const startedCpu = process.threadCpuUsage();
if (input.surface === 'bound') await bound();
else if (input.surface === 'reader') {
  reader = lib.createLocalButter(counted(await lib.snapshotFiles(dir)), { cache: input.cache });
  await readWhole(async () => reader);
} else if (input.surface === 'baseline') {
  const butter = lib.createLocalButter(dir);
  await readWhole(async () => butter, input.sample);
} else if (input.surface === 'floor') {
  const butter = lib.createLocalButter(dir);
  await readWhole(async () => butter, Infinity, fresh);
} else if (input.surface === 'next') {
  const butter = lib.nextButter(dir, { cache: input.cache });
  await readWhole(butter);
} else if (input.surface === 'virtual') await virtual();
else if (input.surface === 'astro') await astro();
else throw new Error(`unknown surface ${input.surface}`);
const wallMs = performance.now() - started;
// Peak RSS and CPU of the read itself, not of a second one.
const used = usage();
// The main thread's CPU time alone: on a loaded machine it varies far less than the wall time.
const mainCpu = process.threadCpuUsage(startedCpu);
const mainCpuMs = (mainCpu.user + mainCpu.system) / 1000;
let againMs;
if (input.again) {
  // The same read again, after warm-up (every file read, the code compiled), timed apart.
  pass = 'again ';
  const again = performance.now();
  await readWhole(async () => reader);
  againMs = performance.now() - again;
}
// What the reader still holds: a full collection first (readers run with --expose-gc).
globalThis.gc?.();
const liveHeap = process.memoryUsage().heapUsed;
report({
  ...used,
  wallMs,
  mainCpuMs,
  againMs,
  kinds: summary(),
  ...(input.surface === 'floor' ? { floor } : {}),
  ...(reader && globalThis.gc ? { liveHeap } : {}),
});
