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
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readInput, report } from './lib.mjs';

const input = await readInput();
const lib = await import(pathToFileURL(input.module).href);
const { dir } = input;

/** Durations by call kind, ms. */
const kinds = new Map();
async function timed(kind, call) {
  const started = performance.now();
  const result = await call();
  const ms = performance.now() - started;
  if (!kinds.has(kind)) kinds.set(kind, []);
  kinds.get(kind).push(ms);
  return result;
}

function summary() {
  const out = {};
  for (const [kind, list] of kinds) {
    const sorted = [...list].sort((a, b) => a - b);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    out[kind] = {
      count: list.length,
      totalMs: list.reduce((a, b) => a + b, 0),
      p50: at(0.5),
      p99: at(0.99),
    };
  }
  return out;
}

const json = async (path) => JSON.parse(await readFile(join(dir, path), 'utf8'));

/** The read pattern of a static build, through `butter()` (a getter per call). */
async function readWhole(butter, sample = Infinity) {
  const manifest = await json('manifest.json');
  const folder = manifest.locales[0] === null ? '_default' : manifest.locales[0];
  const index = await json(`locales/${folder}/index.json`);
  const blog = await json('blog/index.json');
  const take = (list) => list.slice(0, sample);
  for (const [type, slugs] of Object.entries(index.pageTypes)) {
    for (const slug of take(slugs)) {
      await timed('page.retrieve', async () =>
        (await butter()).page.retrieve(type, slug, { levels: 2 }),
      );
    }
  }
  for (const slug of take(index.singlePages)) {
    await timed('page.retrieve', async () =>
      (await butter()).page.retrieve('*', slug, { levels: 2 }),
    );
  }
  for (const slug of take(blog.posts)) {
    await timed('post.retrieve', async () => (await butter()).post.retrieve(slug));
  }
  const pages = Math.max(1, Math.ceil(sample / 10));
  const pageThrough = async (kind, list) => {
    for (let page = 1; page <= pages; page++) {
      const { data } = await timed(kind, () => list(page));
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
      (await butter()).content.retrieve([key], { levels: 2 }),
    );
  }
  for (const kind of ['author', 'category', 'tag']) {
    await timed('taxonomy.list', async () =>
      (await butter())[kind].list({ include: 'recent_posts' }),
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
  // As the plugin loads the modules: chunk files kept within its default budget (256 MB).
  const store = await lib.openSnapshot(dir, 256 * 1024 * 1024);
  const folders = {};
  for (const [folder, names] of lib.foldersOf(manifest)) {
    let module;
    folders[folder] = () => {
      module ??= Promise.resolve({
        files: Object.fromEntries(
          names.map((name) => {
            const path = folder === '_root' ? name : `${folder}/${name}`;
            let loaded;
            return [
              name,
              () => (loaded ??= store.readText(path).then((text) => ({ default: text }))),
            ];
          }),
        ),
      });
      return module;
    };
  }
  const slim = { ...manifest, hashes: {}, chunks: {} };
  const butter = lib.createVirtualButter(slim, folders, { cache: input.cache });
  await readWhole(async () => butter);
}

async function astro() {
  const manifest = await lib.readManifest(dir);
  const folder = manifest.locales[0] === null ? '_default' : manifest.locales[0];
  const index = await json(`locales/${folder}/index.json`);
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

const started = performance.now();
if (input.surface === 'bound') await bound();
else if (input.surface === 'reader' || input.surface === 'baseline') {
  const butter = lib.createLocalButter(dir, { cache: input.cache });
  await readWhole(async () => butter, input.sample);
} else if (input.surface === 'next') {
  const butter = lib.nextButter(dir, { cache: input.cache });
  await readWhole(butter);
} else if (input.surface === 'virtual') await virtual();
else if (input.surface === 'astro') await astro();
else throw new Error(`unknown surface ${input.surface}`);
report({ wallMs: performance.now() - started, kinds: summary() });
