/** Running `butter-sync` (src/cli.ts) as a child process, as a user would, for the CLI tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const CLI = resolve(import.meta.dirname, '../../src/cli.ts');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Running {
  child: ChildProcess;
  out(): string;
  err(): string;
  exit: Promise<number | null>;
}

/**
 * Starts the CLI in `cwd` with `env` over an environment without BUTTERCMS_* variables (CI set:
 * plain output), collecting what it prints.
 */
export function spawnCli(
  args: string[],
  opts: { cwd: string; env?: Record<string, string> },
): Running {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('BUTTERCMS_')) env[k] = v;
  }
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: opts.cwd,
    env: { ...env, CI: '1', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exit = new Promise<number | null>((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => done(code));
  });
  return { child, out: () => stdout, err: () => stderr, exit };
}

/** Runs the CLI to its end (see `spawnCli`); `started` gets the child once it runs. */
export async function runCli(
  args: string[],
  opts: { cwd: string; env?: Record<string, string> },
  started?: (child: ChildProcess) => void,
): Promise<Run> {
  const running = spawnCli(args, opts);
  started?.(running.child);
  const code = await running.exit;
  return { code, stdout: running.out(), stderr: running.err() };
}
