/**
 * `npm run setup:oldest-node`: installs the oldest Node.js `engines` admits — the npm package
 * `node@<version>`, outside the lockfile — where the tests that run the packed CLI under it look
 * for it (`OLDEST_NODE_PREFIX`). `.ci/run` runs it before the tests.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OLDEST_NODE, OLDEST_NODE_PREFIX, OLDEST_NODE_VERSION } from './requirements.ts';

mkdirSync(OLDEST_NODE_PREFIX, { recursive: true });
// The package fetches its binary in an install script, which npm runs only for packages the
// project's `allowScripts` names.
writeFileSync(
  join(OLDEST_NODE_PREFIX, 'package.json'),
  `${JSON.stringify({ private: true, allowScripts: { node: true } }, null, 2)}\n`,
);
execFileSync(
  'npm',
  [
    'install',
    '--no-save',
    '--no-package-lock',
    '--no-audit',
    '--no-fund',
    `node@${OLDEST_NODE_VERSION}`,
  ],
  { cwd: OLDEST_NODE_PREFIX, stdio: 'inherit' },
);
const version = execFileSync(OLDEST_NODE, ['--version'], { encoding: 'utf8' }).trim();
console.log(`Node.js ${version} in ${OLDEST_NODE_PREFIX}`);
