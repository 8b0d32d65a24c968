/**
 * `npm run playgrounds:install`: installs each playground site's packages from its lockfile,
 * with unplugin-buttercms packed from this checkout (`install-links`). npm keeps a linked
 * package's dependencies as the lockfile last recorded them while its version stays 0.1.0, so
 * a dependency the package gained since would be missing from the site (or an older one of the
 * same name hoisted in its place): the package's own entry is dropped first and resolved anew.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SITES = ['next', 'astro', 'astro-6'];
const PACKAGE_ENTRY = 'node_modules/unplugin-buttercms';

for (const site of SITES) {
  const dir = join(import.meta.dirname, site);
  const lockPath = join(dir, 'package-lock.json');
  const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
  delete lock.packages[PACKAGE_ENTRY];
  writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
  rmSync(join(dir, PACKAGE_ENTRY), { recursive: true, force: true });
  execFileSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });
}
