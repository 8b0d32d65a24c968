#!/usr/bin/env node
/**
 * The `butter-sync` executable. All logic is in `src/core/cli`; this entry wires it to the
 * process (argv, environment, streams, Ctrl-C) and sets the exit code.
 */
import { readFileSync } from 'node:fs';
import { main } from './core/cli/main.ts';

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

// A reader that stops early (`butter-sync | head -1`) closes the pipe: the sync still finishes
// (and releases its lock), printing nothing more, instead of dying on the write's EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

const controller = new AbortController();
process.once('SIGINT', () => controller.abort(new Error('interrupted (Ctrl-C)')));
// `--watch` runs until one of these, then closes its watchers and server and exits 0.
process.once('SIGTERM', () => controller.abort(new Error('terminated (SIGTERM)')));

process.exitCode = await main({
  argv: process.argv.slice(2),
  cwd: process.cwd(),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  tty: process.stderr.isTTY === true && !process.env.CI,
  columns: () => process.stderr.columns,
  version: version(),
  signal: controller.signal,
});
