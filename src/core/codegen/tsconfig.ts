/**
 * Whether a file is part of a project's TypeScript program, as TypeScript itself decides: the
 * config is parsed with TypeScript's own parser (`extends` — files and packages — `include`,
 * `files`, `exclude`), and a solution-style config (create-vite's `"files": []` with
 * `references`) counts through the projects it references. A file outside is never read by the
 * editor or `tsc`. When it is outside, `fix` is the change to the project's config that brings
 * it in, checked with the same parser.
 *
 * The TypeScript compiler comes with ts-morph (a dependency) and is loaded on first use only.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { ts as Ts } from 'ts-morph';

type TypeScript = typeof Ts;

/** Config file names an editor looks for in each folder, from the file's folder upwards. */
const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];

/** The config that governs `dir`: the nearest `tsconfig.json` (or `jsconfig.json`) upwards. */
export function findProjectConfig(dir: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    for (const name of CONFIG_NAMES) {
      const candidate = join(current, name);
      if (existsSync(candidate)) return candidate;
    }
    if (dirname(current) === current) return undefined;
  }
}

/** What to set in `project` (JSON properties of the config) to bring the file in. */
export interface ConfigFix {
  project: string;
  set: { include?: string[]; files?: string[] };
  /** The properties as they are now (own or inherited), for the message. */
  current: { include?: string[]; files?: string[]; exclude?: string[] };
  /** A folder the project includes as a whole, where the file could be generated instead. */
  includedFolder?: string;
}

export interface ProjectCheck {
  config: string;
  covered: boolean;
  /** When not covered: the change to the project that holds most of the code. */
  fix?: ConfigFix;
  /** Every file the parser read (configs, extended configs, package.json files). */
  inputs: string[];
  /** The parser reported a problem (unreadable config, missing `extends`): do not keep. */
  unsure: boolean;
}

/**
 * Problems that leave the file lists in doubt: a config that cannot be read or found (an
 * `extends` package not installed yet), circular `extends`, JSON syntax (TS1xxx). Others (an
 * unknown compiler option, no inputs) do not change which files are in.
 */
const UNREADABLE = new Set([5083, 6053, 18000, 18001]);
const inDoubt = (d: Ts.Diagnostic) => UNREADABLE.has(d.code) || (d.code >= 1000 && d.code < 2000);

interface Parsed {
  config: string;
  result: Ts.ParsedCommandLine;
}

export async function checkProject(file: string, config: string): Promise<ProjectCheck> {
  const { ts } = await import('ts-morph');
  const inputs = new Set<string>();
  let unsure = false;
  const host: Ts.ParseConfigFileHost = {
    ...ts.sys,
    readFile(path) {
      inputs.add(path);
      return ts.sys.readFile(path);
    },
    onUnRecoverableConfigFileDiagnostic: () => {
      unsure = true;
    },
  };
  const key = (path: string) => (ts.sys.useCaseSensitiveFileNames ? path : path.toLowerCase());
  const target = key(ts.sys.resolvePath(file));
  const includes = (parsed: Parsed) =>
    parsed.result.fileNames.some((name) => key(ts.sys.resolvePath(name)) === target);

  // The config, then the projects it references (depth first, each once).
  const projects: Parsed[] = [];
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(key(path))) return;
    seen.add(key(path));
    const result = ts.getParsedCommandLineOfConfigFile(path, undefined, host);
    if (!result) return;
    if (result.errors.some(inDoubt)) unsure = true;
    projects.push({ config: path, result });
    for (const reference of result.projectReferences ?? []) {
      visit(ts.resolveProjectReferencePath(reference));
    }
  };
  visit(config);

  const check = { config, inputs: [...inputs].sort(), unsure };
  if (projects.length === 0) return { ...check, covered: false, unsure: true };
  if (projects.some(includes)) return { ...check, covered: true };
  // The project with the most files is the one the site's code is in (a solution's app, not
  // its vite.config project).
  const main = projects.reduce((a, b) =>
    b.result.fileNames.length > a.result.fileNames.length ? b : a,
  );
  return { ...check, covered: false, fix: fixFor(ts, host, main, file, includes) };
}

/**
 * A list of paths from `raw`. Those inherited through `extends` come rewritten relative to this
 * config, through the extended config's folder (`node_modules/x/../../src`): said simply.
 */
function paths(value: unknown, dir: string): string[] | undefined {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return undefined;
  return value.map((v: string) => (v.split('/').includes('..') ? relativeEntry(dir, v) : v));
}

/** `path` as a tsconfig entry relative to `dir` (forward slashes). */
const relativeEntry = (dir: string, path: string) =>
  relative(dir, resolve(dir, path)).split(sep).join('/');

function fixFor(
  ts: TypeScript,
  host: Ts.ParseConfigFileHost,
  project: Parsed,
  file: string,
  includes: (parsed: Parsed) => boolean,
): ConfigFix {
  const dir = dirname(project.config);
  // `raw` holds the properties merged through `extends`, relative to this config's folder.
  const raw = (project.result.raw ?? {}) as Record<string, unknown>;
  const current: ConfigFix['current'] = {};
  for (const name of ['include', 'files', 'exclude'] as const) {
    const list = paths(raw[name], dir);
    if (list) current[name] = list;
  }
  const entry = relativeEntry(dir, file);
  const base = { project: project.config, current, ...includedFolder(dir, current.include) };
  if (current.include) {
    const include = [...current.include, entry];
    const result = ts.parseJsonConfigFileContent(
      { ...raw, include },
      host,
      dir,
      undefined,
      project.config,
    );
    if (includes({ config: project.config, result })) return { ...base, set: { include } };
  }
  // `files` takes a file whatever `exclude` says; without `include` or `files` the default
  // include is every file, which a `files` entry alone would turn off.
  const files = [...(current.files ?? []), entry];
  if (current.include || current.files) return { ...base, set: { files } };
  return { ...base, set: { include: ['**/*'], files } };
}

/** The first `include` entry that names an existing folder (no wildcard). */
function includedFolder(dir: string, include: string[] | undefined): { includedFolder?: string } {
  const folder = include?.find(
    (entry) =>
      !/[*?]/.test(entry) &&
      statSync(join(dir, entry), { throwIfNoEntry: false })?.isDirectory() === true,
  );
  return folder === undefined ? {} : { includedFolder: join(dir, folder) };
}
