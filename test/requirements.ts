/**
 * What some test groups need beyond `npm install`: a browser, libjpeg's djpeg, an up-to-date
 * build, the oldest Node.js we claim to support, the real framework sites with their packages. As vitest's global setup it prints one line
 * per group it will skip (what, why, how to run it); with CI set a missing requirement fails the
 * run instead, so CI (`.ci/run` installs them all) never skips silently.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { siteRequirement } from './integrations/sites.ts';

const ROOT = join(import.meta.dirname, '..');

export const CHROMIUM = '/usr/bin/chromium';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** The lowest Node.js version `engines` admits (`>=22.12` → `22.12.0`). */
export const OLDEST_NODE_VERSION: string = semver.minVersion(pkg.engines.node)!.version;

/** Where `npm run setup:oldest-node` installs that Node.js (the npm package `node`). */
export const OLDEST_NODE_PREFIX = join(ROOT, 'node_modules/.cache/oldest-node');
export const OLDEST_NODE = join(OLDEST_NODE_PREFIX, 'node_modules/node/bin/node');

/** The published entry points the dist tests load. */
export const DIST_FILES = ['cli.js', 'esbuild.js', 'runtime.js'];

function runs(command: string, args: string[]): string | undefined {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

/** Newest modification time of the files under `dir` (ms). */
function newest(dir: string): number {
  let time = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) time = Math.max(time, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return time;
}

/** Why dist/ cannot be tested (missing, or older than the source it is built from), if so. */
function distProblem(): string | undefined {
  const files = DIST_FILES.map((file) => join(ROOT, 'dist', file));
  if (!files.every((file) => existsSync(file))) return 'dist/ is not built';
  const built = Math.min(...files.map((file) => statSync(file).mtimeMs));
  return built < newest(join(ROOT, 'src')) ? 'dist/ is older than src/' : undefined;
}

const REQUIREMENTS = {
  chromium: {
    tests: 'the playground tests in a browser',
    problem: () => (existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM}`),
    fix: 'apt-get install chromium',
  },
  djpeg: {
    tests: "the fake CDN's JPEG decoding check",
    problem: () => (runs('djpeg', ['-version']) === undefined ? 'no djpeg on PATH' : undefined),
    fix: 'apt-get install libjpeg-turbo-progs',
  },
  dist: {
    tests: 'the published entries (dist/)',
    problem: distProblem,
    fix: 'npm run build',
  },
  oldestNode: {
    tests: `the packed CLI under Node.js ${OLDEST_NODE_VERSION}`,
    problem: () =>
      runs(OLDEST_NODE, ['--version'])?.trim() === `v${OLDEST_NODE_VERSION}`
        ? undefined
        : `no Node.js ${OLDEST_NODE_VERSION} in node_modules/.cache/oldest-node`,
    fix: 'npm run setup:oldest-node',
  },
  nextSite: siteRequirement('next'),
  astroSite: siteRequirement('astro'),
  astro6Site: siteRequirement('astro6'),
};

export type Requirement = keyof typeof REQUIREMENTS;

const known = new Map<Requirement, string | undefined>();

function problemOf(name: Requirement): string | undefined {
  if (!known.has(name)) known.set(name, REQUIREMENTS[name].problem());
  return known.get(name);
}

/** Whether a requirement is met on this machine (checked once per process). */
export function has(name: Requirement): boolean {
  return problemOf(name) === undefined;
}

/** The lines `npm test` prints for the groups it skips, one each. */
export function skippedLines(): string[] {
  return (Object.keys(REQUIREMENTS) as Requirement[]).flatMap((name) => {
    const problem = problemOf(name);
    if (problem === undefined) return [];
    const { tests, fix } = REQUIREMENTS[name];
    return [`skipped: ${tests} (${problem}); to run them: ${fix}`];
  });
}

export default function checkRequirements(): void {
  const lines = skippedLines();
  const ci = process.env.CI;
  if (lines.length > 0 && ci && !/^(?:0|false)$/i.test(ci)) {
    throw new Error(`CI runs every test, but:\n${lines.join('\n')}`);
  }
  for (const line of lines) console.log(line);
}
