/**
 * `butter.config.*`: the project's options in a file, found from the working directory upwards
 * (or named with `--config`). TypeScript configs are loaded with jiti, so they work on every
 * supported Node version; JSON is parsed as is.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigFileError, OptionsError } from './errors.ts';
import { isObject } from './model/json.ts';
import {
  type Options,
  resolveSnapshotOptions,
  type SnapshotOptions,
  unknownOption,
} from './options.ts';

/** What a config file may export: the options, or a (possibly async) function returning them. */
export type UserConfig = Options | (() => Options | Promise<Options>);

/**
 * Types a `butter.config.ts` without importing anything else:
 *
 * ```ts
 * import { defineConfig } from 'unplugin-buttercms';
 * export default defineConfig({ pageTypes: ['landing-page'], collections: ['faq'] });
 * ```
 */
export function defineConfig<T extends UserConfig>(config: T): T {
  return config;
}

/** File names looked for, in this order, in each folder from the working directory up. */
export const CONFIG_FILES = [
  'butter.config.ts',
  'butter.config.mts',
  'butter.config.js',
  'butter.config.mjs',
  'butter.config.json',
];

export interface LoadedConfig {
  /** Absolute path of the file, or undefined when none was found. */
  path: string | undefined;
  /** The options it holds (`{}` without a file). */
  options: Options;
}

/** The nearest config file from `cwd` upwards (stops at the file system root). */
export function findConfigFile(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    for (const name of CONFIG_FILES) {
      const candidate = join(dir, name);
      if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Loads the config file `explicit` (relative to `cwd`), or the nearest one found from `cwd`
 * upwards. A config without `root` gets its own folder as `root`, so its relative paths mean the
 * same wherever the CLI runs. Throws an `OptionsError` (field `config`) when the file is missing,
 * and a `ConfigFileError` naming the file (and where in it) when it does not load, does not
 * export an object, or holds a key that is not an option.
 */
export async function loadConfig(cwd: string, explicit?: string): Promise<LoadedConfig> {
  const path = explicit === undefined ? findConfigFile(cwd) : resolve(cwd, explicit);
  if (path === undefined) return { path: undefined, options: {} };
  if (!existsSync(path)) throw new OptionsError('config', `no such file: ${path}`);

  let exported: unknown;
  let text: string | undefined;
  try {
    if (path.endsWith('.json')) {
      text = await readFile(path, 'utf8');
      exported = JSON.parse(text);
    } else {
      const { createJiti } = await import('jiti');
      const jiti = createJiti(pathToFileURL(path).href, { moduleCache: false, tryNative: true });
      exported = await jiti.import(path, { default: true });
    }
    if (typeof exported === 'function') exported = await exported();
  } catch (error) {
    throw new ConfigFileError(path, describeLoadError(error, path, text));
  }
  if (!isObject(exported)) {
    throw new ConfigFileError(
      path,
      'must export an object of options (export default defineConfig({ … }))',
    );
  }
  const options = { ...(exported as Options) };
  for (const key of Object.keys(options)) {
    const problem = unknownOption(key);
    if (problem !== undefined) throw new ConfigFileError(path, problem, { field: key });
  }
  if (options.root === undefined) options.root = dirname(path);
  else options.root = resolve(dirname(path), options.root);
  return { path, options };
}

/**
 * What went wrong loading the file, starting with `line L, column C` where the error says:
 * JSON.parse's offset, jiti's `path:line:column` for a syntax error (0-based column), or the
 * first stack frame in the file for an error thrown while it runs.
 */
function describeLoadError(error: unknown, path: string, json: string | undefined): string {
  const message = error instanceof Error ? error.message : String(error);
  const first = message.split('\n')[0]!.trim();
  if (json !== undefined) {
    const offset = /at position (\d+)/.exec(message);
    if (!offset) return `invalid JSON: ${first}`;
    const before = json.slice(0, Number(offset[1]));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    return `line ${line}, column ${column}: invalid JSON: ${first.replace(/ in JSON at position.*$/, '')}`;
  }
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const syntax = new RegExp(`${escaped}:(\\d+):(\\d+)`).exec(message);
  if (syntax) {
    const problem = first.replace(/^(?:ParseError|SyntaxError): /, '');
    return `line ${syntax[1]}, column ${Number(syntax[2]) + 1}: syntax error: ${problem}`;
  }
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const frame = new RegExp(`${escaped}:(\\d+):(\\d+)`).exec(stack);
  return frame ? `line ${frame[1]}, column ${frame[2]}: ${first}` : first;
}

/** A build integration's options, resolved once for its project. */
export interface ProjectOptions {
  options: SnapshotOptions;
  /** The config file merged in (`undefined`: none was found). */
  configFile: string | undefined;
}

/**
 * A build integration's options over the project's `butter.config.*` (the CLI's, found from the
 * root upwards; the integration's own options win), resolved. `root`: the integration's option,
 * else the config file's, else the host's (`hostRoot`), else the working directory.
 */
export async function resolveProjectOptions(
  own: Options,
  hostRoot: string | undefined,
  env: Record<string, string | undefined> = process.env,
): Promise<ProjectOptions> {
  const { path, options: fromFile } = await loadConfig(own.root ?? hostRoot ?? process.cwd());
  const given = Object.fromEntries(
    Object.entries(own).filter(([, v]) => v !== undefined),
  ) as Options;
  const root = own.root ?? (path ? fromFile.root : hostRoot);
  return {
    options: resolveSnapshotOptions({ ...fromFile, ...given, root }, env),
    configFile: path,
  };
}
