/**
 * `npm run bench -- hostile [--only <mode>]`: the sync, with the default options, against a
 * fake ButterCMS that misbehaves on one page type's listing in each of the ways
 * `fixtures/server/hostile.ts` knows (and a few the fault machinery always knew), each in a
 * child process. Prints how every one ended (the error's code and first line), its wall time,
 * its peak RSS and the API requests it made, beside a sync of the same account against the
 * well-behaved fake. What is bounded: every mode ends with an error, in about the time and
 * memory of a normal sync — except a server that never answers, which costs the default
 * `timeout` (30 s) per attempt until the retry budget is spent.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type FaultOptions, startFakeButter } from '../fixtures/server/index.ts';
import { buildSyncPackage, mb, runChild, sec, table } from './lib.ts';

const { values } = parseArgs({
  args: process.argv.slice(3),
  options: { only: { type: 'string' } },
});

/** The page type the faults hit; the account's others, collections and blog answer normally. */
const ACCOUNT = 'generated:pages=500,posts=1000,items=300,seed=1';

const MODES: [string, FaultOptions][] = [
  ['[] of 21, no next page', { listing: { count: 21, items: 0, nextPage: null } }],
  ['5 of 21, no next page', { listing: { count: 21, items: 5, nextPage: null } }],
  ['items [1, "two", null]', { listing: { items: 'non-objects' } }],
  ['meta.count 10^9, next page 2', { listing: { count: 1e9, nextPage: 2 } }],
  ['meta.count 10^12, next page 2', { listing: { count: 1e12, nextPage: 2 } }],
  ['a listing that never ends', { listing: { nextPage: 'endless' } }],
  ['a body that never ends', { hostile: 'endless-body' }],
  ['a 4 MiB gzip bomb (4 GiB inflated)', { hostile: 'gzip-bomb' }],
  ['JSON nested 3,000 deep', { hostile: 'deep-json' }],
  ['200 with an HTML page', { hostile: 'html' }],
  ['429, Retry-After: 1, always', { rate429: 1, retryAfter: 1 }],
  ['5xx, always', { rate5xx: 1 }],
  ['no headers, ever (timeout 30 s)', { hostile: 'hang' }],
];

process.stderr.write('[bench] building the package…\n');
const module = buildSyncPackage();
const fake = await startFakeButter({ account: ACCOUNT });
const root = await mkdtemp(join(tmpdir(), 'butter-hostile-'));
const account = fake.account;
const pageTypes = [...new Set(account.pages.map((p) => p.pageType).filter((t) => !!t))] as string[];
const target = pageTypes[0]!;
const options = {
  token: fake.token,
  apiUrl: fake.apiUrl,
  root,
  pageTypes,
  collections: Object.keys(account.collections),
  locales: account.locales.length > 1 ? account.locales : [],
};

const rows: string[][] = [];
const CHILD = join(import.meta.dirname, 'children', 'hostile.mjs');
/** One run of the child: its wall time, peak RSS, API requests and how it ended. */
async function measure(name: string): Promise<void> {
  fake.resetLog();
  process.stderr.write(`[bench] ${name}…\n`);
  const run = await runChild(CHILD, { module, options });
  const requests = fake.log.filter((e) => e.path.startsWith('/v2/')).length;
  const message = String(run.message)
    .split('\n')[0]!
    .replace(/^\[buttercms\] /, '');
  const ending = run.ok ? 'ok' : `${run.code}: ${message}`;
  rows.push([
    name,
    sec(run.wallMs),
    mb(run.maxRss),
    String(requests),
    ending.length > 110 ? `${ending.slice(0, 109)}…` : ending,
  ]);
}

try {
  // The baseline, and the snapshot every failing mode must keep.
  await measure('none (well-behaved, first sync)');
  for (const [name, faults] of MODES) {
    if (values.only && !name.includes(values.only)) continue;
    fake.setFaults({ match: `/v2/pages/${target}/`, ...faults });
    await measure(name);
  }
} finally {
  fake.setFaults({});
  await fake.close();
  await rm(root, { recursive: true, force: true });
}

console.log(
  `\nhostile servers — ${ACCOUNT.replace(/,seed=\d+/, '')}, default options (media, types, concurrency 8, timeout 30 s, retries 4, maxResponseBytes 64 MiB); the fault hits /pages/${target}/ only; ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)} at the end\n`,
);
console.log(table([['mode', 'wall', 'peak RSS', 'requests', 'how it ended'], ...rows]));
