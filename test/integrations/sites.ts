/**
 * The playground sites with packages of their own (playground/next, playground/astro on Astro 7,
 * playground/astro-6): each has its own package.json and lockfile, installed by `npm run
 * playgrounds:install` (.ci/run does), with unplugin-buttercms packed from this repository
 * (`install-links`), as a user installs it. The tests run the frameworks' own CLIs in child
 * processes, never this repository's copies.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;

export const SITES = {
  next: { dir: join(ROOT, 'playground/next'), framework: 'next' },
  astro: { dir: join(ROOT, 'playground/astro'), framework: 'astro' },
  astro6: { dir: join(ROOT, 'playground/astro-6'), framework: 'astro' },
} as const;
export type Site = keyof typeof SITES;

/**
 * A requirement of test/requirements.ts: why a site cannot be tested here (`problem()`), what
 * its tests are, and how to install it.
 */
export function siteRequirement(site: Site) {
  const { dir, framework } = SITES[site];
  return {
    tests: `the real ${framework} site ${dir.slice(ROOT.length)}`,
    problem(): string | undefined {
      const dist = join(ROOT, 'dist/next/reader.js');
      if (!existsSync(dist)) return 'dist/ is not built';
      const installed = join(dir, 'node_modules', framework, 'package.json');
      if (!existsSync(installed))
        return `${framework} is not installed in ${dir.slice(ROOT.length)}`;
      return undefined;
    },
    fix: 'npm run build && npm run playgrounds:install',
  };
}

/**
 * Installs the current build of the package into the site again (npm packs this repository
 * with the site's `install-links`): what `npm install` of a new version does for a user.
 */
export async function installPackage(site: Site): Promise<void> {
  const { dir } = SITES[site];
  await rm(join(dir, 'node_modules/unplugin-buttercms'), { recursive: true, force: true });
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd: dir,
    env: { ...process.env, PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH}` },
  });
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface Child {
  process: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves once the output matches `pattern`; rejects when the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Ends the process and its children (by process group id), resolves once it exited. */
  stop(): Promise<void>;
}

/** Starts a site's CLI (`node node_modules/<bin>`) in its folder, in a process group of its own. */
export function startCli(
  site: Site,
  bin: string,
  args: string[],
  env: Record<string, string>,
): Child {
  const { dir } = SITES[site];
  const child = spawn(process.execPath, [join(dir, 'node_modules', bin), ...args], {
    cwd: dir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ASTRO_TELEMETRY_DISABLED: '1', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const waiter of waiters) waiter();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    process: child,
    output: () => text,
    waitFor(pattern, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = text.match(pattern);
          if (match) done(() => resolve(match));
        };
        const timer = setTimeout(
          () => done(() => reject(new Error(`timed out waiting for ${pattern}:\n${text}`))),
          timeoutMs,
        );
        const onExit = () =>
          done(() => reject(new Error(`exited (${child.exitCode}) before ${pattern}:\n${text}`)));
        const done = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          child.off('exit', onExit);
          settle();
        };
        waiters.add(check);
        child.once('exit', onExit);
        check();
        if (child.exitCode !== null || child.signalCode !== null) onExit();
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid!, 'SIGTERM');
        } catch {}
      }
      await exited;
    },
  };
}

/** Runs a site's CLI to completion; rejects with its output when it fails. */
export async function runCli(
  site: Site,
  bin: string,
  args: string[],
  env: Record<string, string>,
): Promise<string> {
  const child = startCli(site, bin, args, env);
  const code = await new Promise<number | null>((resolve) =>
    child.process.once('exit', (c) => resolve(c)),
  );
  if (code !== 0) throw new Error(`${bin} ${args.join(' ')} exited ${code}:\n${child.output()}`);
  return child.output();
}

/** Whether `file` exists and is a file. */
export function isFile(file: string): boolean {
  return existsSync(file) && statSync(file).isFile();
}
