/**
 * The generated declarations only work inside the project's TypeScript program. A
 * `buttercms.d.ts` that the tsconfig does not take in (create-vite's `"include": ["src"]` with
 * the file in the project root) is silently ignored: every field becomes `unknown`. The sync and
 * every build check it once (`typesOutsideProject`) and warn with the exact change to make.
 *
 * The verdict is kept in the project's cache folder with the mtime and size of every file the
 * config parser read: while none of them changes, the check is a few `stat`s instead of loading
 * the TypeScript compiler and walking the project's files.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { cacheDirFor } from '../cache-dir.ts';
import { hashText } from '../snapshot/hash.ts';
import { type ConfigFix, checkProject, findProjectConfig } from './tsconfig.ts';

/** The topic of the warning (`Logger.warn`): the same while the problem lasts. */
export const TYPES_OUTSIDE_PROJECT = 'declarations outside the tsconfig';

const MEMO_VERSION = 1;

interface Memo {
  version: number;
  types: string;
  config: string;
  /** Path, then `mtimeMs:size` (or `missing`) when checked. */
  inputs: [string, string][];
  covered: boolean;
  fix?: ConfigFix;
}

async function stampOf(path: string): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  return info ? `${info.mtimeMs}:${info.size}` : 'missing';
}

/** The memo in `file`, if it is about `types` and `config` and no input changed since. */
async function currentMemo(file: string, types: string, config: string) {
  let memo: Memo;
  try {
    memo = JSON.parse(await readFile(file, 'utf8')) as Memo;
  } catch {
    return undefined;
  }
  if (memo.version !== MEMO_VERSION || memo.types !== types || memo.config !== config) {
    return undefined;
  }
  const stamps = await Promise.all(memo.inputs.map(([path]) => stampOf(path)));
  return memo.inputs.every(([, stamp], i) => stamps[i] === stamp) ? memo : undefined;
}

/** Asks TypeScript, and keeps the answer in `file` (unless the config was in doubt). */
async function checkAndRemember(file: string, types: string, config: string) {
  const check = await checkProject(types, config);
  if (check.unsure) return undefined;
  const stamps = await Promise.all(check.inputs.map(stampOf));
  const memo: Memo = {
    version: MEMO_VERSION,
    types,
    config,
    inputs: check.inputs.map((path, i) => [path, stamps[i]!]),
    covered: check.covered,
    ...(check.fix ? { fix: check.fix } : {}),
  };
  // A cache folder that cannot be written only costs the next build the whole check.
  await mkdir(dirname(file), { recursive: true })
    .then(() => writeFile(file, JSON.stringify(memo)))
    .catch(() => {});
  return memo;
}

/**
 * The warning to give when the declarations file `types` is outside the TypeScript project of
 * `root`, else `undefined` (also when there is no tsconfig, no declarations file yet, or the
 * config cannot be parsed: then TypeScript has its own complaint).
 */
export async function typesOutsideProject(
  types: string,
  root: string,
  cacheDir = cacheDirFor(root),
): Promise<string | undefined> {
  const config = findProjectConfig(root);
  if (!config || (await stampOf(types)) === 'missing') return undefined;
  const file = join(cacheDir, `tsconfig-check-${hashText(types).slice(0, 16)}.json`);
  const memo =
    (await currentMemo(file, types, config)) ?? (await checkAndRemember(file, types, config));
  return memo && !memo.covered && memo.fix ? describe(types, root, memo.fix) : undefined;
}

const show = (root: string, path: string) => {
  const rel = relative(root, path);
  return rel === '' || isAbsolute(rel) ? path : rel.split(sep).join('/');
};
const property = (name: string, values: string[]) =>
  `"${name}": [${values.map((v) => JSON.stringify(v)).join(', ')}]`;

function describe(types: string, root: string, fix: ConfigFix): string {
  const project = show(root, fix.project);
  const now = Object.entries(fix.current).map(([name, values]) => property(name, values));
  const set = Object.entries(fix.set).map(([name, values]) => property(name, values));
  const alternative = fix.includedFolder
    ? ` — or generate it in a folder the project includes: \`types: '${show(root, join(fix.includedFolder, basename(types)))}'\``
    : '';
  return (
    `${show(root, types)} is not part of your TypeScript project: ${project}${now.length > 0 ? ` (${now.join(', ')})` : ''} does not cover it, ` +
    `so TypeScript ignores it and ButterCMS content is typed \`unknown\`. ` +
    `Fix: in ${project}, set ${set.join(' and ')}${alternative}.`
  );
}
