#!/usr/bin/env node
// The `butter-sync` command. An installed package runs its build (dist/cli.js). A checkout of
// the repository has the source instead, which runs as it is under Node's type stripping: so
// `npx butter-sync` works there before any build, and never runs a stale one.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli.ts', import.meta.url);
if (!existsSync(source)) {
  await import('../dist/cli.js');
} else if (process.features.typescript) {
  await import(source.href);
} else {
  process.stderr.write(
    `[buttercms] butter-sync runs from its source here (${source.pathname}), which needs Node.js with type stripping (≥ 22.18); this is ${process.version}.\n  → Run it through npm, which uses the project's pinned Node.js: \`npx butter-sync\`, or \`npm run build\` and \`node dist/cli.js\`.\n`,
  );
  process.exitCode = 2;
}
